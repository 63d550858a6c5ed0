package io.authrelay.server.pty;

import java.util.regex.Pattern;

/**
 * What the runner looks for in each ANSI-stripped output line. {@code url} and {@code code} capture group 1 when they
 * have one, else the whole match. Any may be null.
 */
public record OutputPatterns(Pattern url, Pattern code, Pattern inputPrompt, Pattern success, Pattern failure) {

    public static final OutputPatterns NONE = new OutputPatterns(null, null, null, null, null);

    /** From regular expressions as a driver file spells them (null for none). */
    public static OutputPatterns compile(String url, String code, String inputPrompt, String success, String failure) {
        return new OutputPatterns(
                compileOrNull(url),
                compileOrNull(code),
                compileOrNull(inputPrompt),
                compileOrNull(success),
                compileOrNull(failure));
    }

    static Pattern compileOrNull(String regex) {
        return regex == null || regex.isEmpty() ? null : Pattern.compile(regex);
    }
}
