package io.authrelay.server.pty;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A loopback server stands in for the CLI's callback listener and counts what reaches it. */
class CallbackReplayTest {
    private static final String STATE = "s7Ate_-good";
    private HttpServer cli;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private int port;
    private String authorize;
    private final CallbackReplay replay = new CallbackReplay();

    @BeforeEach
    void listen() throws Exception {
        cli = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        cli.createContext("/", exchange -> {
            received.add(exchange.getRequestURI().getRawPath() + "?"
                    + exchange.getRequestURI().getRawQuery());
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        cli.start();
        port = cli.getAddress().getPort();
        authorize =
                "https://auth.example.test/oauth/authorize?response_type=code&client_id=app&redirect_uri=http%3A%2F%2F127.0.0.1%3A"
                        + port + "%2Fauth%2Fcallback&scope=openid+profile&state=" + STATE;
    }

    @AfterEach
    void stop() {
        cli.stop(0);
    }

    private String callback(String hostAndPort, String pathAndQuery) {
        return "http://" + hostAndPort + pathAndQuery;
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "LOCALHOST", "[::1]"})
    void replaysAMatchingCallbackToTheCli(String host) throws Exception {
        CallbackReplay.Result result =
                replay.replay(authorize, callback(host + ":" + port, "/auth/callback?code=c%2B1&state=" + STATE));

        assertThat(result).isEqualTo(new CallbackReplay.Replayed(302));
        assertThat(received).containsExactly("/auth/callback?code=c%2B1&state=" + STATE);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/auth/callback?code=c&state=s7Ate_-goox", // wrong state
                "/auth/callback?code=c&state=s7ate_-good", // case differs
                "/auth/callback?code=c&state=" + STATE + "x", // longer
                "/auth/callback?code=c", // no state
                "/auth/callback?code=c&state=", // empty state
                "/auth/callback?code=c&state=" + STATE + "&state=" + STATE, // twice
                "/auth/callback?code=c&state=" + STATE + "&st%61te=other", // an encoded second state
                "/auth/callback?state=" + STATE, // no code
                "/auth/callback?code=&state=" + STATE, // empty code
                "/auth/callback?code=c&state=%ZZ", // broken encoding
                "/auth/callback/?code=c&state=" + STATE, // other path
                "/auth/%63allback?code=c&state=" + STATE, // encoded lookalike path
                "/auth/./callback?code=c&state=" + STATE,
                "/Auth/callback?code=c&state=" + STATE,
                "/auth/callback?code=c&state=" + STATE + "#state=" + STATE, // fragment
            })
    void refusesACallbackThatDoesNotMatch(String pathAndQuery) throws Exception {
        assertRefused(callback("127.0.0.1:" + port, pathAndQuery));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1", // no port: 80
                "127.0.0.2:PORT",
                "127.1:PORT",
                "0x7f.0.0.1:PORT",
                "localhost.:PORT",
                "127.0.0.1.:PORT",
                "evil.test:PORT",
                "localhost.evil.test:PORT",
                "127.0.0.1%2eevil.test:PORT",
                "user@127.0.0.1:PORT", // userinfo
                "127.0.0.1:PORT@evil.test",
                "[::2]:PORT",
            })
    void refusesAnotherHostOrPort(String authority) throws Exception {
        assertRefused(
                callback(authority.replace("PORT", Integer.toString(port)), "/auth/callback?code=c&state=" + STATE));
    }

    @Test
    void refusesAnotherPortOrScheme() throws Exception {
        String query = "/auth/callback?code=c&state=" + STATE;
        assertRefused(callback("127.0.0.1:" + (port == 65535 ? 1 : port + 1), query));
        assertRefused("https://127.0.0.1:" + port + query);
        assertRefused(" http://127.0.0.1:" + port + query + " \u0000");
        assertRefused("http://127.0.0.1:" + port + "/auth/callback?code=c d&state=" + STATE);
    }

    @Test
    void refusesWhenTheLoginDoesNotCallBackToLoopback() throws Exception {
        String pasteLogin =
                "https://accounts.example.test/auth?redirect_uri=https%3A%2F%2Fcodeassist.example.test%2Fauthcode&state="
                        + STATE;
        assertRefused(pasteLogin, "https://codeassist.example.test/authcode?code=c&state=" + STATE);
        String twoStates = authorize + "&state=other";
        assertRefused(twoStates, callback("127.0.0.1:" + port, "/auth/callback?code=c&state=" + STATE));
    }

    private void assertRefused(String pasted) throws Exception {
        assertRefused(authorize, pasted);
    }

    private void assertRefused(String authorizeUrl, String pasted) throws Exception {
        CallbackReplay.Result result = replay.replay(authorizeUrl, pasted);
        assertThat(result).isInstanceOf(CallbackReplay.Refused.class);
        assertThat(((CallbackReplay.Refused) result).reason())
                .doesNotContain("code=")
                .doesNotContain(STATE);
        assertThat(received).as("nothing reached the CLI").isEmpty();
    }
}
