package io.authrelay.core.timeline;

import java.time.Instant;

/**
 * One step in a login's or connection's timeline. Repeated identical poll results are folded into one
 * event ({@code count} times between {@code at} and {@code lastAt}) so a long wait stays readable.
 */
public record TimelineEvent(
        long id,
        String sessionId,
        String provider,
        Instant at,
        Instant lastAt,
        int count,
        String kind,
        Integer httpStatus,
        String code,
        String detail) {}
