package io.authrelay.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class ErrorMessagesTest {
    private static BrokerError error(int status, String code, String message, String hint) {
        return new BrokerError(status, code, message, hint, null);
    }

    @Example
    void saysWhatHappenedAndWhatToDo() {
        assertThat(ErrorMessages.forError(error(401, "workspace_revoked", "x", null), "github.com/org/repo", null))
                .isEqualTo("authrelay: workspace token revoked: ask an admin for a new one");
        assertThat(ErrorMessages.forError(error(401, "workspace_expired", "x", null), "", null))
                .isEqualTo("authrelay: workspace token expired: ask an admin for a new one");
        assertThat(ErrorMessages.forError(
                        error(409, "needs_reauth", "github needs login", "run: authrelay login github"),
                        "github.com/o/r",
                        null))
                .isEqualTo("authrelay: github needs a new login: ask an admin to run authrelay login github");
        assertThat(ErrorMessages.forError(error(403, "not_granted", "x", null), "github.com/org/repo", null))
                .isEqualTo("authrelay: this workspace is not granted github.com/org/repo: ask an admin to add a grant");
        assertThat(ErrorMessages.unreachable(
                        new BrokerEndpoint.Url(URI.create("http://127.0.0.1:7878")), false, 10_000))
                .isEqualTo("authrelay: broker unreachable at http://127.0.0.1:7878: is the daemon running?");
        assertThat(ErrorMessages.forError(
                        error(
                                404,
                                "credential_not_found",
                                "provider 'forge' has no credential",
                                "connect it with: authrelay login forge (or ...)"),
                        "git.example.test/o/r",
                        null))
                .isEqualTo("authrelay: forge is not connected yet: ask an admin to connect it (authrelay login forge)");
        assertThat(ErrorMessages.noToken())
                .isEqualTo(
                        "authrelay: no workspace token: set AUTHRELAY_TOKEN or write token= in ~/.config/authrelay/client.conf");
        assertThat(ErrorMessages.forError(new BrokerError(429, "too_many_auth_failures", "x", null, "30"), "", null))
                .isEqualTo(
                        "authrelay: too many failed authentications from here (retry in 30 s): check AUTHRELAY_TOKEN");
        assertThat(ErrorMessages.forError(error(500, null, null, null), "", null))
                .startsWith("authrelay: broker failed (HTTP 500)");
    }

    @Property(tries = 300)
    void brokerTextIsOneLineAndMasked(
            @ForAll String code, @ForAll String message, @ForAll String hint, @ForAll int status) {
        String line = ErrorMessages.forError(
                error(status, code, message + " ghp_abcdefghijklmnopqrstuvwxyz", hint), "h/p", null);
        assertThat(line)
                .startsWith("authrelay: ")
                .doesNotContain("\n")
                .doesNotContain("\r")
                .doesNotContain("ghp_abcdefghijklmnop");
    }

    @Example
    void redactorMasksTokenShapesAndRegisteredSecrets() {
        Redactor redactor = new Redactor();
        redactor.register("plain-secret-value");
        assertThat(
                        redactor.redact(
                                "a arw_abcdefghijklmnopqrstuvwx b gho_abcdef c ghp_ABCDEFGH d Bearer xyz0123456789abc e plain-secret-value"))
                .isEqualTo("a [REDACTED] b [REDACTED] c [REDACTED] d [REDACTED] e [REDACTED]");
        // Prose about tokens is not a token: error messages must stay readable.
        assertThat(redactor.redact("this endpoint needs a bearer token"))
                .isEqualTo("this endpoint needs a bearer token");
    }
}
