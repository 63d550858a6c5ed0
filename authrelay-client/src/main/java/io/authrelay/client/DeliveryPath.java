package io.authrelay.client;

import java.nio.charset.Charset;

/**
 * The rule for a delivered file's path: relative to the home, already normal ({@code a/b}: no leading {@code /}, no
 * empty, {@code .} or {@code ..} segment), no backslash, no control character. Everything else is taken literally:
 * {@code ․․} (U+2024 twice) is a file name like any other, never a way up. The path must also be writable exactly as
 * given, so a name the file system's encoding cannot hold (non-ASCII under a C locale) is refused, not mangled.
 */
final class DeliveryPath {
    static final int MAX_LENGTH = 1024;

    private DeliveryPath() {}

    /** Null when the path is acceptable, else why not ("is absolute", …), to follow the path in a message. */
    static String problem(String path) {
        if (path == null || path.isEmpty()) return "is empty";
        if (path.length() > MAX_LENGTH) return "is too long";
        if (path.startsWith("/")) return "is absolute";
        if (path.indexOf('\\') >= 0) return "contains a backslash";
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (Character.getType(c) == Character.CONTROL || c == '\u2028' || c == '\u2029')
                return "contains a control character";
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) return "has an empty segment";
            if (segment.equals(".")) return "has a '.' segment";
            if (segment.equals("..")) return "leaves its directory (..)";
        }
        if (!fileNameEncoding().newEncoder().canEncode(path))
            return "cannot be written in this system's file name encoding (set a UTF-8 locale)";
        return null;
    }

    private static Charset fileNameEncoding() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }
}
