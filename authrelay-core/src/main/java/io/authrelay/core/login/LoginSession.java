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
        return new LoginSession(
                id,
                provider,
                newStatus,
                userCode,
                verificationUri,
                verificationUriComplete,
                expiresAt,
                interval,
                nextPollAt,
                polls,
                consecutiveFailures,
                lastResult,
                newReason,
                account,
                createdAt,
                now);
    }

    public LoginSession afterPoll(
            LoginStatus newStatus, String result, Duration newInterval, Instant next, int failures, Instant now) {
        return new LoginSession(
                id,
                provider,
                newStatus,
                userCode,
                verificationUri,
                verificationUriComplete,
                expiresAt,
                newInterval,
                next,
                polls + 1,
                failures,
                result,
                reason,
                account,
                createdAt,
                now);
    }

    public LoginSession connected(String connectedAccount, Instant now) {
        return new LoginSession(
                id,
                provider,
                LoginStatus.CONNECTED,
                userCode,
                verificationUri,
                verificationUriComplete,
                expiresAt,
                interval,
                null,
                polls + 1,
                0,
                "token",
                null,
                connectedAccount,
                createdAt,
                now);
    }
}
