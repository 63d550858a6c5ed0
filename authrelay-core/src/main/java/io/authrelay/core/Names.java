package io.authrelay.core;

import java.util.regex.Pattern;

/** The one rule for names users give things (providers, later workspaces): safe in URLs, paths and labels. */
public final class Names {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private Names() {}

    public static String require(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw DomainException.invalid(
                    "invalid_name",
                    what
                            + " name must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit",
                    "for example: github-work");
        }
        return value;
    }
}
