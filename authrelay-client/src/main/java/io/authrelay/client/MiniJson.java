package io.authrelay.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for the broker API, with no dependencies. {@link #write} writes a flat object (strings,
 * numbers, booleans, null, collections of strings); {@link #parse} reads any JSON value into
 * {@code Map<String,Object>} (insertion ordered), {@code List<Object>}, {@code String}, {@code Long} or
 * {@code Double}, {@code Boolean} and {@code null}. Parsing is strict (RFC 8259), rejects duplicate keys,
 * lone surrogates and nesting deeper than {@value #MAX_DEPTH}, and is linear in the input: garbage ends in a
 * {@link JsonException}, never a hang or a stack overflow.
 */
public final class MiniJson {
    public static final int MAX_DEPTH = 64;

    /** The input is not JSON we accept. */
    public static final class JsonException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public JsonException(String message) {
            super(message);
        }
    }

    private final String text;
    private int pos;

    private MiniJson(String text) {
        this.text = text;
    }

    // ---------------------------------------------------------------- writing

    /** A flat JSON object; values may be String, Number, Boolean, null or a Collection of strings. */
    public static String write(Map<String, ?> object) {
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

    /** Appends {@code s} as a JSON string literal. */
    public static void quote(StringBuilder out, String s) {
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

    // ---------------------------------------------------------------- reading

    /** Any JSON value. */
    public static Object parse(String text) {
        if (text == null) throw new JsonException("no JSON input");
        MiniJson parser = new MiniJson(text);
        parser.skipWhitespace();
        Object value = parser.value(0);
        parser.skipWhitespace();
        if (parser.pos != text.length()) throw parser.error("unexpected trailing characters");
        return value;
    }

    /** A JSON object, or a {@link JsonException} when the text is anything else. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) throw new JsonException("expected a JSON object");
        return (Map<String, Object>) value;
    }

    /** The string at {@code key}, or null when absent, null or not a string. */
    public static String string(Map<String, Object> object, String key) {
        return object != null && object.get(key) instanceof String s ? s : null;
    }

    /** The object at {@code key}, or null when absent or not an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Map<String, Object> object, String key) {
        return object != null && object.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    /** The integer at {@code key}, or null when absent, null or not an integer. */
    public static Long integer(Map<String, Object> object, String key) {
        return object != null && object.get(key) instanceof Long l ? l : null;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) throw error("nested too deeply");
        if (pos >= text.length()) throw error("unexpected end of input");
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return objectValue(depth);
            case '[':
                return arrayValue(depth);
            case '"':
                return stringValue();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || c >= '0' && c <= '9') return number();
                throw error("unexpected character");
        }
    }

    private Map<String, Object> objectValue(int depth) {
        pos++; // {
        Map<String, Object> result = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return result;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') throw error("expected a string key");
            String key = stringValue();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object value = value(depth + 1);
            if (result.containsKey(key)) throw error("duplicate key");
            result.put(key, value);
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') return result;
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> arrayValue(int depth) {
        pos++; // [
        List<Object> result = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return result;
        }
        while (true) {
            skipWhitespace();
            result.add(value(depth + 1));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') return result;
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private String stringValue() {
        pos++; // opening quote
        StringBuilder out = null;
        int start = pos;
        while (true) {
            if (pos >= text.length()) throw error("unterminated string");
            char c = text.charAt(pos);
            if (c == '"') {
                String s = out == null
                        ? text.substring(start, pos)
                        : out.append(text, start, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) throw error("control character in string");
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c)
                        || pos + 1 >= text.length()
                        || !Character.isLowSurrogate(text.charAt(pos + 1))) {
                    throw error("lone surrogate in string");
                }
                pos += 2;
                continue;
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (out == null) out = new StringBuilder();
            out.append(text, start, pos);
            pos++;
            if (pos >= text.length()) throw error("unterminated escape");
            char e = text.charAt(pos++);
            switch (e) {
                case '"' -> out.append('"');
                case '\\' -> out.append('\\');
                case '/' -> out.append('/');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    char u = hex4();
                    if (Character.isHighSurrogate(u)) {
                        if (pos + 1 < text.length() && text.charAt(pos) == '\\' && text.charAt(pos + 1) == 'u') {
                            pos += 2;
                            char low = hex4();
                            if (!Character.isLowSurrogate(low))
                                throw error("high surrogate not followed by a low surrogate");
                            out.append(u).append(low);
                        } else {
                            throw error("lone surrogate escape");
                        }
                    } else if (Character.isLowSurrogate(u)) {
                        throw error("lone surrogate escape");
                    } else {
                        out.append(u);
                    }
                }
                default -> {
                    pos--;
                    throw error("invalid escape");
                }
            }
            start = pos;
        }
    }

    private char hex4() {
        if (pos + 4 > text.length()) throw error("truncated \\u escape");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0 || text.charAt(pos + i) > 'f') throw error("invalid \\u escape");
            v = v << 4 | d;
        }
        pos += 4;
        return (char) v;
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) pos++;
        } else {
            throw error("invalid number");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) throw error("invalid number");
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(peek())) throw error("invalid number");
            while (isDigit(peek())) pos++;
        }
        String literal = text.substring(start, pos);
        if (integral && literal.length() <= 18) return Long.parseLong(literal);
        if (integral) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException tooBig) {
                // falls through to double
            }
        }
        return Double.parseDouble(literal);
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) throw error("invalid literal");
        pos += word.length();
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "'");
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private JsonException error(String what) {
        return new JsonException("invalid JSON at offset " + pos + ": " + what);
    }
}
