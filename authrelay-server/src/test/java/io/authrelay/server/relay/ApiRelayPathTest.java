package io.authrelay.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.clilogin.RelaySpec;
import io.authrelay.server.clilogin.DriverCatalog;
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
        "/relay/api/codex/codex/responses, , codex, /codex/responses",
        "/relay/api/codex/ps/plugins/installed, limit=200&includeDownloadUrls=true, codex, /ps/plugins/installed",
        "/relay/api/codex/codex/analytics-events/events, , codex, /codex/analytics-events/events",
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

    /**
     * The shipped codex driver's config.toml puts codex's two base URLs on the relay so that each call reaches the URL
     * codex itself would have called: its model provider ({@code chatgpt.com/backend-api/codex}) and its ChatGPT calls
     * ({@code chatgpt_base_url}, {@code chatgpt.com/backend-api/}).
     */
    @Test
    void codexsBaseUrlsOnTheRelayLandOnTheUrlsCodexWouldHaveCalled() {
        RelaySpec relay = DriverCatalog.shipped().find("codex").orElseThrow().relay();
        String config = relay.files().stream()
                .filter(f -> f.path().equals("config.toml"))
                .findFirst()
                .orElseThrow()
                .content();
        String relayUrl = "https://broker.test:7700/relay/api/codex";
        String modelBase = tomlString(config, "base_url").replace("{{relay_url}}", relayUrl);
        String chatgptBase = tomlString(config, "chatgpt_base_url").replace("{{relay_url}}", relayUrl);

        assertThat(upstreamOf(relay, modelBase + "/responses"))
                .isEqualTo("https://chatgpt.com/backend-api/codex/responses");
        assertThat(upstreamOf(relay, chatgptBase + "ps/plugins/installed"))
                .isEqualTo("https://chatgpt.com/backend-api/ps/plugins/installed");
        assertThat(relay.env()).containsEntry("CODEX_HOME", "{{relay_home}}");
        assertThat(config).contains("metrics_exporter = \"none\"");
    }

    private static String upstreamOf(RelaySpec relay, String url) {
        String path = java.net.URI.create(url).getRawPath();
        return relay.upstream() + ApiRelayPath.parse(path, null, null).path();
    }

    private static String tomlString(String toml, String key) {
        var m = java.util.regex.Pattern.compile("(?m)^" + key + " = \"([^\"]*)\"$")
                .matcher(toml);
        assertThat(m.find()).as(key).isTrue();
        return m.group(1);
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
