package io.authrelay.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.jetty.http.HttpField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the API relay reads from a path, and the paths and headers it refuses before anything is sent upstream. */
class ApiRelayPathTest {
    @ParameterizedTest
    @CsvSource({
        "/relay/api/claude/v1/messages, beta=true, claude, /v1/messages",
        "/relay/api/gemini/v1internal:loadCodeAssist, , gemini, /v1internal:loadCodeAssist",
        "/relay/api/my-claude.2/v1/models/x_y~z, , my-claude.2, /v1/models/x_y~z",
    })
    void readsTheProviderAndExactlyThePathToSend(String path, String query, String provider, String upstream) {
        ApiRelayPath parsed = ApiRelayPath.parse(path, query, null);
        assertThat(parsed.provider()).isEqualTo(provider);
        assertThat(parsed.path()).isEqualTo(upstream);
        assertThat(parsed.query()).isEqualTo(query);
        assertThat(parsed.vendRequest().provider()).isEqualTo(provider);
        assertThat(parsed.vendRequest().host()).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/relay/api/claude",
                "/relay/api/claude/",
                "/relay/api//v1/messages",
                "/relay/api/Claude/v1/messages",
                "/relay/api/cl%61ude/v1/messages",
                "/relay/api/claude/v1/%2e%2e/oauth/token",
                "/relay/api/claude/v1%2Fmessages",
                "/relay/api/claude/v1%5Cmessages",
                "/relay/api/claude/v1/../oauth/token",
                "/relay/api/claude/v1/./messages",
                "/relay/api/claude//v1/messages",
                "/relay/api/claude/v1/messages/",
                "/relay/api/claude/v1/mess@ges",
                "/relay/api/claude/v1/messages;x=y",
            })
    void refusesEveryPathNotInNormalForm(String path) {
        assertThatThrownBy(() -> ApiRelayPath.parse(path, null, null))
                .isInstanceOfSatisfying(
                        RelayRefusal.class, r -> assertThat(r.status()).isEqualTo(400));
    }

    @Test
    void onlyAllowListedHeadersCrossAndNoCredentialAmongThem() {
        var incoming = org.eclipse.jetty.http.HttpFields.build()
                .add("Authorization", "Bearer arw_x")
                .add("x-api-key", "smuggled")
                .add("x-goog-api-key", "smuggled")
                .add("Cookie", "a=b")
                .add("Proxy-Authorization", "Basic x")
                .add("anthropic-version", "2023-06-01")
                .add("anthropic-beta", "oauth-2025-04-20")
                .add("X-Stainless-Lang", "js")
                .add("Content-Type", "application/json");
        var outgoing = org.eclipse.jetty.http.HttpFields.build();
        RelayHeaders.API.copyRequest(incoming, outgoing);
        assertThat(outgoing.stream().map(HttpField::getLowerCaseName))
                .containsExactly("anthropic-version", "anthropic-beta", "x-stainless-lang", "content-type");
    }
}
