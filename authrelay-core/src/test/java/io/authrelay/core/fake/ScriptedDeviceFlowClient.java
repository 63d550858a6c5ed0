package io.authrelay.core.fake;

import io.authrelay.core.oauth.DeviceAuthorization;
import io.authrelay.core.oauth.DeviceFlowClient;
import io.authrelay.core.oauth.Identity;
import io.authrelay.core.oauth.OAuthTarget;
import io.authrelay.core.oauth.ProviderResponse;
import io.authrelay.core.oauth.TokenSet;
import io.authrelay.core.vault.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A provider that answers as scripted: each token poll takes the next queued answer, and every refresh asks
 * the refresh answer, which may block to hold a refresh in flight. Counts the calls that reach it.
 */
public final class ScriptedDeviceFlowClient implements DeviceFlowClient {
    public static final Duration CODE_LIFETIME = Duration.ofMinutes(15);
    public static final Duration INTERVAL = Duration.ofSeconds(5);
    public static final String ACCOUNT = "octocat";

    private final Queue<ProviderResponse> pollAnswers = new ConcurrentLinkedQueue<>();
    private volatile Supplier<ProviderResponse> refreshAnswer = () -> {
        throw new AssertionError("the provider was asked for a refresh nobody scripted");
    };
    private final AtomicInteger polls = new AtomicInteger();
    private final AtomicInteger refreshes = new AtomicInteger();

    public static ProviderResponse tokens(String access, String refresh, Instant expiresAt) {
        return new ProviderResponse.Tokens(tokenSet(access, refresh, expiresAt), 200);
    }

    public static TokenSet tokenSet(String access, String refresh, Instant expiresAt) {
        return new TokenSet(new Secret(access), new Secret(refresh), expiresAt, "repo", null);
    }

    public static ProviderResponse oauthError(String code) {
        return new ProviderResponse.OAuthError(code, null, 400);
    }

    public static ProviderResponse unavailable() {
        return new ProviderResponse.Transient("HTTP 503", 503);
    }

    public void answerPolls(ProviderResponse... answers) {
        pollAnswers.addAll(java.util.List.of(answers));
    }

    public void answerRefresh(Supplier<ProviderResponse> answer) {
        refreshAnswer = answer;
    }

    public int pollCalls() {
        return polls.get();
    }

    public int refreshCalls() {
        return refreshes.get();
    }

    @Override
    public DeviceAuthorization authorize(OAuthTarget provider) {
        return new DeviceAuthorization(
                new Secret("device-code-of-" + provider.name()),
                "WDJB-MJHT",
                "https://provider.test/device",
                null,
                CODE_LIFETIME,
                INTERVAL);
    }

    @Override
    public ProviderResponse pollToken(OAuthTarget provider, Secret deviceCode) {
        polls.incrementAndGet();
        ProviderResponse answer = pollAnswers.poll();
        if (answer == null) throw new AssertionError("the provider was polled more often than scripted");
        return answer;
    }

    @Override
    public ProviderResponse refresh(OAuthTarget provider, Secret refreshToken) {
        refreshes.incrementAndGet();
        return refreshAnswer.get();
    }

    @Override
    public Identity identify(OAuthTarget provider, TokenSet tokens) {
        return new Identity(ACCOUNT, tokens.scopes());
    }

    @Override
    public boolean revoke(OAuthTarget provider, Secret token) {
        return false;
    }
}
