package io.authrelay.sim;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An answer of the device authorization or token endpoints. It is written straight to the servlet response so that
 * a client gone before the write shows in the poll log as "timeout".
 *
 * @param error the OAuth error code or fault name the poll log records; null on success
 */
record Reply(int status, String contentType, byte[] body, String error, Map<String, String> headers) {

    static final Map<String, String> NO_STORE = Map.of("Cache-Control", "no-store");
    /** Token responses also carry Pragma, as RFC 6749 section 5.1 asks. */
    static final Map<String, String> NO_STORE_NO_CACHE = Map.of("Cache-Control", "no-store", "Pragma", "no-cache");

    private static final Logger log = LoggerFactory.getLogger(Reply.class);

    static Reply of(int status, WireFormat format, Map<String, ?> fields, String error, Map<String, String> headers) {
        return new Reply(status, format.contentType(), format.encode(fields), error, headers);
    }

    static Reply html(int status, String page, String error, Map<String, String> headers) {
        return new Reply(status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8), error, headers);
    }

    /** Writes the reply now; false when the client was gone (its connection failed while writing). */
    boolean send(Context ctx) {
        HttpServletResponse res = ctx.res();
        res.setStatus(status);
        res.setContentType(contentType);
        headers.forEach(res::setHeader);
        res.setContentLength(body.length);
        try {
            var out = res.getOutputStream();
            out.write(body);
            out.flush();
            return true;
        } catch (IOException e) {
            log.debug("client went away before the response was written: {}", e.toString());
            return false;
        }
    }
}
