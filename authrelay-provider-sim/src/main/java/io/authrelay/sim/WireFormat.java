package io.authrelay.sim;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** How the fields of an OAuth answer are encoded. */
enum WireFormat {
    JSON(Wire.JSON_UTF8) {
        @Override
        byte[] encode(Map<String, ?> fields) {
            return Wire.bytes(fields);
        }
    },
    /** What GitHub answers a client that does not ask for JSON. */
    FORM("application/x-www-form-urlencoded; charset=utf-8") {
        @Override
        byte[] encode(Map<String, ?> fields) {
            StringBuilder b = new StringBuilder();
            for (Map.Entry<String, ?> e : fields.entrySet()) {
                if (!b.isEmpty()) b.append('&');
                b.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                        .append('=')
                        .append(URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8));
            }
            return b.toString().getBytes(StandardCharsets.UTF_8);
        }
    };

    private final String contentType;

    WireFormat(String contentType) {
        this.contentType = contentType;
    }

    String contentType() {
        return contentType;
    }

    abstract byte[] encode(Map<String, ?> fields);
}
