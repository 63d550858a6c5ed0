package io.authrelay.client;

import java.util.Collection;
import java.util.Map;

/** Writes what {@link MiniJson#write} accepts: a flat object of strings, numbers, booleans, null and string lists. */
final class JsonWriter {
    private JsonWriter() {}

    static String write(Map<String, ?> object) {
        StringBuilder out = new StringBuilder(128);
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, ?> entry : object.entrySet()) {
            if (!first) out.append(',');
            first = false;
            quote(out, entry.getKey());
            out.append(':');
            writeValue(out, entry.getValue());
        }
        return out.append('}').toString();
    }

    private static void writeValue(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            quote(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue() ? "true" : "false");
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d))
                throw new IllegalArgumentException("JSON has no NaN or infinity");
            out.append(d);
        } else if (value instanceof Number n) {
            out.append(n.toString());
        } else if (value instanceof Collection<?> items) {
            out.append('[');
            boolean first = true;
            for (Object item : items) {
                if (!first) out.append(',');
                first = false;
                if (!(item instanceof String s))
                    throw new IllegalArgumentException("only arrays of strings are supported");
                quote(out, s);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException(
                    "unsupported JSON value type " + value.getClass().getName());
        }
    }

    /**
     * Besides what JSON requires, escapes U+2028, U+2029 and lone surrogates, so the output is also valid JavaScript
     * and valid UTF-8.
     */
    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20
                            || c == '\u2028'
                            || c == '\u2029'
                            || Character.isSurrogate(c) && !pairedSurrogate(s, i)) {
                        unicodeEscape(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean pairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        String hex = "0123456789abcdef";
        out.append("\\u")
                .append(hex.charAt(c >> 12 & 0xf))
                .append(hex.charAt(c >> 8 & 0xf))
                .append(hex.charAt(c >> 4 & 0xf))
                .append(hex.charAt(c & 0xf));
    }
}
