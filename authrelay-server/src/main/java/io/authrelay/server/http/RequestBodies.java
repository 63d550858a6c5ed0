package io.authrelay.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Reads JSON request bodies with a hard size cap, turning every parse failure into a 4xx that names the problem. */
public final class RequestBodies {
    public static final int MAX_BYTES = 64 * 1024;

    private RequestBodies() {}

    public static <T> T read(Context ctx, Class<T> type) {
        return parse(readCapped(ctx), type);
    }

    /** A JSON body already read (capped), bound strictly to {@code type}. */
    static <T> T parse(byte[] body, Class<T> type) {
        if (body.length == 0) throw new ApiException(400, "empty_body", "the request needs a JSON object body", null);
        try {
            T value = Json.MAPPER.readValue(body, type);
            if (value == null)
                throw new ApiException(400, "invalid_json", "the body must be a JSON object, not null", null);
            requirePresent(value);
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new ApiException(
                    400,
                    "unknown_field",
                    "unknown field '" + e.getPropertyName() + "'",
                    "known fields: " + e.getKnownPropertyIds());
        } catch (MismatchedInputException e) {
            throw new ApiException(400, "invalid_field", "wrong type or shape at " + pathOf(e), null);
        } catch (JacksonException e) {
            throw new ApiException(400, "invalid_json", "the body is not valid JSON", null);
        }
    }

    /** Each body type's {@link Required} record components, found once: reflection per request cost a vend ~5 %. */
    private static final ClassValue<List<RecordComponent>> REQUIRED = new ClassValue<>() {
        @Override
        protected List<RecordComponent> computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            if (components == null) return List.of();
            return Arrays.stream(components)
                    .filter(component -> component.isAnnotationPresent(Required.class))
                    .toList();
        }
    };

    /** Every {@link Required} component of a record body is there and not null. */
    private static void requirePresent(Object value) {
        for (RecordComponent component : REQUIRED.get(value.getClass())) {
            Object field;
            try {
                field = component.getAccessor().invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component.getName(), e);
            }
            if (field == null) {
                String name = component.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
                throw new ApiException(400, "missing_field", "the field '" + name + "' is required", null);
            }
        }
    }

    /** A capped UTF-8 text body, for endpoints that take git's key=value format. */
    public static String readText(Context ctx) {
        return new String(readCapped(ctx), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A capped body, for endpoints that read it whole before parsing it. */
    static byte[] readCapped(Context ctx) {
        try {
            return readCapped(ctx.contentLength(), ctx.req().getInputStream());
        } catch (IOException e) {
            throw unreadable();
        }
    }

    /**
     * Refuses without reading past the cap; {@link UnreadBodies} reads the rest, so the client gets the 413.
     *
     * @param declared the request's Content-Length, -1 when it has none
     */
    static byte[] readCapped(long declared, InputStream in) {
        if (declared > MAX_BYTES) throw tooLarge();
        try {
            // A declared length sizes the read (Jetty ends the body there): a 60-byte vend body should not cost a 16
            // KiB buffer.
            int limit = declared >= 0 ? (int) declared + 1 : MAX_BYTES + 1;
            byte[] body = in.readNBytes(limit);
            if (body.length > MAX_BYTES) throw tooLarge();
            return body;
        } catch (IOException e) {
            throw unreadable();
        }
    }

    private static ApiException unreadable() {
        return new ApiException(400, "unreadable_body", "the request body could not be read", null);
    }

    private static String pathOf(MismatchedInputException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .reduce((a, b) -> a + "." + b)
                .orElse("");
        return path.isEmpty() ? "the top level (expected a JSON object)" : "'" + path + "'";
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "body_too_large", "the request body is larger than " + MAX_BYTES + " bytes", null);
    }
}
