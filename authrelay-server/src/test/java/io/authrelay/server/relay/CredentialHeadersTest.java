package io.authrelay.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.provider.ProviderKind;
import io.authrelay.core.vault.Secret;
import io.authrelay.core.workspace.Vend;
import io.authrelay.server.clilogin.DriverCatalog;
import java.time.Instant;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The headers the relay sets from the broker's credential (codex's ChatGPT-Account-ID): whatever the sandbox sends
 * under that name, in any case, any number of copies, with line breaks, the upstream gets the credential's account
 * once; a credential without an account gets no such header; an account a header cannot carry sends nothing.
 */
class CredentialHeadersTest {
    private static final Map<String, String> CODEX =
            DriverCatalog.shipped().find("codex").orElseThrow().relay().headers();

    @Test
    void theShippedCodexDriverSetsTheAccountHeaderFromTheCredential() {
        assertThat(CODEX).containsExactly(Map.entry("ChatGPT-Account-ID", "{{account}}"));
    }

    @Test
    void theSandboxsAccountHeadersAreReplacedByTheCredentialsOnce() {
        HttpFields incoming = HttpFields.build()
                .add("ChatGPT-Account-ID", "acct-chosen")
                .add("chatgpt-account-id", "acct-second-copy")
                .add("CHATGPT-ACCOUNT-ID", "acct-chosen\r\nAuthorization: Bearer smuggled")
                .add("Chatgpt-Account-Id", "acct-x\u0000y")
                .add("Content-Type", "application/json");

        HttpFields.Mutable outgoing = relayed(incoming, vend("acct-real"));

        assertThat(outgoing.getValuesList("chatgpt-account-id")).containsExactly("acct-real");
        assertThat(outgoing.stream().map(HttpField::getLowerCaseName))
                .containsExactly("content-type", "chatgpt-account-id");
        assertThat(outgoing.toString()).doesNotContain("acct-chosen").doesNotContain("smuggled");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null"})
    void aCredentialWithoutAnAccountGetsNoAccountHeaderAtAll(String account) {
        HttpFields incoming = HttpFields.build().add("ChatGPT-Account-ID", "acct-chosen");
        HttpFields.Mutable outgoing = relayed(incoming, vend(account.equals("null") ? null : account));
        assertThat(outgoing.getValuesList("ChatGPT-Account-ID")).isEmpty();
    }

    /** Even a declared header the allow-list lets through: the sandbox's copies go, the relay's alone is sent. */
    @Test
    void aDeclaredHeaderReplacesAnAllowedOneAndIsRemovedWhenItCannotBeFilled() {
        Map<String, String> declared = Map.of("User-Agent", "org/{{account}}", "X-Fixed", "v1");
        HttpFields incoming = HttpFields.build().add("user-agent", "sandbox").add("USER-AGENT", "again");

        HttpFields.Mutable filled = HttpFields.build();
        RelayHeaders.API.copyRequest(incoming, filled);
        CredentialHeaders.fill(declared, vend("acct-real")).applyTo(filled);
        assertThat(filled.getValuesList("user-agent")).containsExactly("org/acct-real");
        assertThat(filled.getValuesList("x-fixed")).containsExactly("v1");

        HttpFields.Mutable unfilled = HttpFields.build();
        RelayHeaders.API.copyRequest(incoming, unfilled);
        CredentialHeaders.fill(declared, vend(null)).applyTo(unfilled);
        assertThat(unfilled.getValuesList("user-agent")).isEmpty();
        assertThat(unfilled.getValuesList("x-fixed")).containsExactly("v1");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "acct\r\nAuthorization: Bearer x",
                "acct\nX: y",
                "acct\rX",
                "acct\u0000",
                "acct\u007f",
                " acct",
                "acct\u00e9"
            })
    void anAccountAHeaderCannotCarryRefusesTheRequestWithoutSayingIt(String account) {
        assertThatThrownBy(() -> CredentialHeaders.fill(CODEX, vend(account)))
                .isInstanceOfSatisfying(RelayRefusal.class, r -> {
                    assertThat(r.status()).isEqualTo(502);
                    assertThat(r.code()).isEqualTo("invalid_credential_header");
                    assertThat(r.getMessage()).contains("ChatGPT-Account-ID").doesNotContain("acct");
                });
    }

    @Test
    void gitRequestsGetNoDriverHeader() {
        HttpFields.Mutable outgoing = HttpFields.build().add("ChatGPT-Account-ID", "untouched");
        CredentialHeaders.NONE.applyTo(outgoing);
        assertThat(outgoing.getValuesList("ChatGPT-Account-ID")).containsExactly("untouched");
    }

    @Test
    void declarationsAreCheckedBeforeUse() {
        assertThat(CredentialHeaders.problem(CODEX)).isNull();
        assertThat(CredentialHeaders.problem(Map.of("X-A", "{{access_token}}"))).contains("{{account}}");
        assertThat(CredentialHeaders.problem(Map.of("authorization", "{{account}}")))
                .contains("relay's own");
        assertThat(CredentialHeaders.problem(Map.of("X-A", "a\r\nb"))).contains("control character");
        assertThat(CredentialHeaders.problem(Map.of("X A", "a"))).contains("not a header name");
    }

    /** As CredentialRelay builds the upstream request: the allow-listed copy, then the credential's headers. */
    private static HttpFields.Mutable relayed(HttpFields incoming, Vend vend) {
        HttpFields.Mutable outgoing = HttpFields.build();
        RelayHeaders.API.copyRequest(incoming, outgoing);
        CredentialHeaders.fill(CODEX, vend).applyTo(outgoing);
        return outgoing;
    }

    private static Vend vend(String account) {
        return new Vend(
                "codex", ProviderKind.CLI_LOGIN, "chatgpt.com", "x", new Secret("t0ken"), Instant.EPOCH, account);
    }
}
