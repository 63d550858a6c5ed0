package io.authrelay.server.http;

import io.authrelay.core.workspace.Vend;
import io.authrelay.core.workspace.VendRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What {@code POST /v1/vend} reads and answers on the wire: JSON for the Java helper and exec, git's own key=value
 * format for the sh helper. One definition for both fronts that serve it ({@link VendHandler}, {@link VendRoutes}).
 */
final class VendWire {
    static final String GIT_FORMAT = "text/plain";

    record VendBody(String protocol, String host, String path, String username, List<String> wwwauth, String provider) {
        VendRequest request() {
            return new VendRequest(protocol, host, path, username, wwwauth == null ? List.of() : wwwauth, provider);
        }
    }

    /** The JSON answer, in this order (snake_case on the wire); a record serialises faster than a map. */
    record VendAnswer(
            String provider, String kind, String host, String username, String password, Long passwordExpiryUtc) {}

    /** An answer's body and its content type. */
    record Answer(String contentType, byte[] body) {}

    private VendWire() {}

    /** @param contentType the request's Content-Type header, null when it has none */
    static VendRequest request(String contentType, byte[] body) {
        if (contentType != null && contentType.startsWith(GIT_FORMAT)) {
            return GitCredentialBody.parse(new String(body, StandardCharsets.UTF_8));
        }
        return RequestBodies.parse(body, VendBody.class).request();
    }

    /** @param accept the request's Accept header, null when it has none */
    static Answer answer(Vend vend, String accept) {
        Long expiry = vend.expiresAt() == null ? null : vend.expiresAt().getEpochSecond();
        if (wantsGitFormat(accept)) {
            return new Answer(
                    GIT_FORMAT + ";charset=utf-8", // what the servlet layer makes of GIT_FORMAT
                    ("username=" + vend.username() + "\npassword="
                                    + vend.password().value()
                                    + (expiry == null ? "" : "\npassword_expiry_utc=" + expiry) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
        }
        VendAnswer answer = new VendAnswer(
                vend.provider(),
                vend.kind().wireName(),
                vend.host(),
                vend.username(),
                vend.password().value(),
                expiry);
        return new Answer("application/json", Json.MAPPER.writeValueAsBytes(answer));
    }

    static boolean wantsGitFormat(String accept) {
        return accept != null && accept.startsWith(GIT_FORMAT);
    }
}
