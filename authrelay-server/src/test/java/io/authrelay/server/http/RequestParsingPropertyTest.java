package io.authrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.Reply;
import io.authrelay.server.testing.TestBroker;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Whatever bytes a client sends as a request body, the API answers with a 2xx or a 4xx carrying our error shape, never a 5xx. */
class RequestParsingPropertyTest {
    private static TestBroker daemon;

    @BeforeContainer
    static void start() throws Exception {
        daemon = TestBroker.inProcess().open();
        daemon.addStaticProvider("target", "git.example.test", "initial-secret");
    }

    @AfterContainer
    static void stop() throws Exception {
        daemon.close();
    }

    @Property(tries = 300)
    void providerCreationNeverFailsWith5xx(@ForAll("bodies") String body) {
        assertClientOutcome(daemon.send("POST", "/v1/providers", body));
    }

    @Property(tries = 300)
    void credentialWritesNeverFailWith5xx(@ForAll("bodies") String body) {
        assertClientOutcome(daemon.send("PUT", "/v1/credentials/target", body));
    }

    private static void assertClientOutcome(Reply response) {
        assertThat(response.status()).as(response.body()).isBetween(200, 499);
        if (response.status() >= 400) {
            assertThat(Json.MAPPER
                            .readTree(response.body())
                            .path("error")
                            .path("code")
                            .asString())
                    .matches("[a-z_]+");
        }
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> jsonValue = Arbitraries.oneOf(
                Arbitraries.strings()
                        .alpha()
                        .numeric()
                        .withChars("-._ \"\\")
                        .ofMaxLength(30)
                        .map(s -> "\"" + s + "\""),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.of("true", "false", "null", "[]", "{}", "[\"a\"]", "1.5e308", "-0", "{\"nested\":{}}"));
        Arbitrary<String> key =
                Arbitraries.of("name", "type", "host", "username", "secret", "unknown", "", "NAME", "name\u0000");
        Arbitrary<String> member = Combinators.combine(key, jsonValue).as((k, v) -> "\"" + k + "\":" + v);
        Arbitrary<String> object = member.list().ofMaxSize(6).map(members -> "{" + String.join(",", members) + "}");
        Arbitrary<String> truncated = object.map(o -> o.substring(0, o.length() / 2));
        return Arbitraries.oneOf(anyText, jsonValue, object, object, truncated);
    }
}
