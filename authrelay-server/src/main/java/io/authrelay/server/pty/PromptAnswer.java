package io.authrelay.server.pty;

import java.util.regex.Pattern;

/** A prompt the runner answers itself: when a stripped line (or the open prompt line) matches, {@code send} is typed. */
public record PromptAnswer(Pattern expect, String send) {
    public static PromptAnswer of(String regex, String send) {
        return new PromptAnswer(Pattern.compile(regex), send);
    }
}
