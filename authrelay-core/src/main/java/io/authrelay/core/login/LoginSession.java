package io.authrelay.core.login;

import java.time.Duration;
import java.time.Instant;

/**
 * One attempt to connect a provider through the device flow. The device code itself is a secret and
 * lives sealed in the vault, never in this record. {@code interval} only grows (slow_down is permanent).
 */
public record LoginSession(
        String id,
        String provider,
        LoginStatus status,
        String userCode,
        String verificationUri,
        String verificationUriComplete,
        Instant expiresAt,
        Duration interval,
        Instant nextPollAt,
        int polls,
        int consecutiveFailures,
        String lastResult,
        String reason,
        String account,
        Instant createdAt,
        Instant updatedAt) {

    public LoginSession withStatus(LoginStatus newStatus, String newReason, Instant now) {
        return progressed(
                newStatus, interval, nextPollAt, polls, consecutiveFailures, lastResult, newReason, account, now);
    }

    public LoginSession afterPoll(
            LoginStatus newStatus, String result, Duration newInterval, Instant next, int failures, Instant now) {
        return progressed(newStatus, newInterval, next, polls + 1, failures, result, reason, account, now);
    }

    public LoginSession connected(String connectedAccount, Instant now) {
        return progressed(LoginStatus.CONNECTED, interval, null, polls + 1, 0, "token", null, connectedAccount, now);
    }

    /** This session showing what an AI CLI printed for the user: a URL to open and/or a code to enter. */
    public LoginSession captured(String code, String url, Instant now) {
        return new LoginSession(
                id,
                provider,
                LoginStatus.AWAITING_USER,
                code == null ? userCode : code,
                url == null ? verificationUri : url,
                verificationUriComplete,
                expiresAt,
                interval,
                nextPollAt,
                polls,
                consecutiveFailures,
                lastResult,
                reason,
                account,
                createdAt,
                now);
    }

    /** This session with its progress replaced; what the provider handed out at the start stays as it was. */
    private LoginSession progressed(
            LoginStatus newStatus,
            Duration newInterval,
            Instant newNextPollAt,
            int newPolls,
            int newFailures,
            String newLastResult,
            String newReason,
            String newAccount,
            Instant now) {
        return new LoginSession(
                id,
                provider,
                newStatus,
                userCode,
                verificationUri,
                verificationUriComplete,
                expiresAt,
                newInterval,
                newNextPollAt,
                newPolls,
                newFailures,
                newLastResult,
                newReason,
                newAccount,
                createdAt,
                now);
    }
}
