package io.authrelay.client;

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

    private MiniJson() {}

    /** A flat JSON object; values may be String, Number, Boolean, null or a Collection of strings. */
    public static String write(Map<String, ?> object) {
        return JsonWriter.write(object);
    }

    /** Appends {@code s} as a JSON string literal. */
    public static void quote(StringBuilder out, String s) {
        JsonWriter.quote(out, s);
    }

    /** Any JSON value. */
    public static Object parse(String text) {
        return JsonReader.read(text);
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
}
