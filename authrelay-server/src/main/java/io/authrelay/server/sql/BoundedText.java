package io.authrelay.server.sql;

/**
 * Cuts text to a column's length before it is stored, so that whatever a request carries (a 60 KB host in a vend) costs
 * at most the column's size. A cut value ends in {@value #MARK}, and a cut never splits a surrogate pair.
 */
final class BoundedText {
    static final String MARK = "…";

    private BoundedText() {}

    /**
     * {@code value} if it has at most {@code max} chars, else its first chars and {@value #MARK}, {@code max} in all. A
     * NUL, which PostgreSQL's text refuses (SQLite stores it), becomes U+FFFD, so a provider's answer stores the same on
     * both databases.
     */
    static String cap(String value, int max) {
        if (value == null) return null;
        if (value.indexOf('\0') >= 0) value = value.replace('\0', '\uFFFD');
        if (value.length() <= max) return value;
        int end = max - MARK.length();
        if (Character.isLowSurrogate(value.charAt(end)) && Character.isHighSurrogate(value.charAt(end - 1))) end--;
        return value.substring(0, end) + MARK;
    }
}
