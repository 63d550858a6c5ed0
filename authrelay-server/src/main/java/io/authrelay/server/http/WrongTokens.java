package io.authrelay.server.http;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * What a wrong token costs the address that presented it, wherever it was presented: the API ({@link Authenticator})
 * and the credential relay share one instance, so guessing workspace tokens at {@code /relay/} spends the same budget
 * as at {@code /v1/}, not a second one. Each wrong token is counted per address, audited and metered; past the
 * limiter's thresholds the caller delays its 401, then answers 429.
 */
public final class WrongTokens {
    private final RepeatLimiter limiter;
    private final AuditLog audit;
    private final Clock clock;
    private final Counter failures;

    public WrongTokens(RepeatLimiter limiter, AuditLog audit, Clock clock, MeterRegistry metrics) {
        this.limiter = limiter;
        this.audit = audit;
        this.clock = clock;
        this.failures = failures(metrics);
    }

    /** The one counter of refused authentications, missing tokens included, whichever front refused them. */
    static Counter failures(MeterRegistry metrics) {
        return Counter.builder("authrelay_auth_failures")
                .description("Requests refused for a missing or wrong token")
                .register(metrics);
    }

    /**
     * A token that matched nothing, from {@code address}, for {@code request} (method and path, for the audit row).
     *
     * @return refused: answer 429 with its retry-after, and nothing is counted; else the delay to wait before the 401,
     *     the attempt counted, audited and metered
     */
    public RepeatLimiter.Verdict count(String address, String request) {
        RepeatLimiter.Verdict verdict = limiter.check(address);
        if (verdict.refused()) return verdict;
        limiter.record(address);
        failures.increment();
        audit.append(
                clock.instant(),
                new Actor("anonymous", address),
                "auth.failure",
                request,
                AuditLog.DENIED,
                "token not recognised");
        return verdict;
    }
}
