package io.authrelay.server.http;

import static io.authrelay.server.testing.TestBroker.expect;
import static io.authrelay.server.testing.TestBroker.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.Reply;
import io.authrelay.server.testing.TestBroker;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rotating the admin token over TCP: the caller gets the new token once, the old one is dead at once and stays dead. */
class AdminTokenRotationTest {
    @RegisterExtension
    final TestBroker d = TestBroker.inProcess();

    @Test
    void theOldTokenFailsRightAfterTheNewOneIsInTheFileAndARestartKeepsIt() throws Exception {
        String old = d.adminToken();
        Reply rotated = expect(200, d.send("POST", "/v1/admin-token/rotate", "{}", old));
        assertThat(rotated.header("Cache-Control")).isEqualTo("no-store");
        String fresh = rotated.json().path("token").asString();
        assertThat(fresh).startsWith("ara_").hasSize(4 + 43).isNotEqualTo(old);

        expectError(401, "invalid_token", d.send("GET", "/v1/status", null, old));
        expect(200, d.send("GET", "/v1/status", null, fresh));
        assertThat(d.adminToken()).isEqualTo(fresh);
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(d.home().resolve("admin.token"))))
                .isEqualTo("rw-------");

        String audit = expect(200, d.send("GET", "/v1/audit", null, fresh)).body();
        assertThat(audit)
                .contains("\"admin-token.rotate\"")
                .doesNotContain(fresh)
                .doesNotContain(old);

        d.restart();
        expect(200, d.send("GET", "/v1/status", null, fresh));
        expectError(401, "invalid_token", d.send("GET", "/v1/status", null, old));
    }

    @Test
    void noApiTokenRotatesTheAdminTokenNotEvenOneOfAdminScope() {
        String before = d.adminToken();
        String automation = d.createApiToken("automation", "admin");
        expectError(403, "insufficient_scope", d.send("POST", "/v1/admin-token/rotate", "{}", automation));
        assertThat(d.adminToken()).isEqualTo(before);
        expect(200, d.send("GET", "/v1/status", null, before));
    }
}
