package io.authrelay.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.jetty.http.HttpField;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the relay reads from a path, and the many paths it refuses before anything is sent upstream. */
class GitRelayPathTest {
    @ParameterizedTest
    @CsvSource({
        "GET, /relay/git/github.com/my-org/repo.git/info/refs, service=git-upload-pack, github.com, my-org/repo,"
                + " /my-org/repo.git/info/refs",
        "GET, /relay/git/github.com/my-org/repo/info/refs, service=git-receive-pack, github.com, my-org/repo,"
                + " /my-org/repo/info/refs",
        "POST, /relay/git/127.0.0.1:8443/repo.git/git-upload-pack, , 127.0.0.1:8443, repo, /repo.git/git-upload-pack",
        "POST, /relay/git/git.example.test/a/b/c.git/git-receive-pack, , git.example.test, a/b/c,"
                + " /a/b/c.git/git-receive-pack",
    })
    void readsTheHostTheRepositoryAndExactlyThePathToSend(
            String method, String path, String query, String host, String repository, String upstream) {
        GitRelayPath parsed = GitRelayPath.parse(method, path, query);
        assertThat(parsed.host()).isEqualTo(host);
        assertThat(parsed.repository()).isEqualTo(repository);
        assertThat(parsed.upstreamPath()).isEqualTo(upstream);
        assertThat(parsed.query()).isEqualTo(query);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/relay/git/GitHub.com/o/r.git/git-upload-pack",
                "/relay/git/github.com./o/r.git/git-upload-pack",
                "/relay/git/github.com:0443/o/r.git/git-upload-pack",
                "/relay/git/github.com:/o/r.git/git-upload-pack",
                "/relay/git/gith%C4%B1b.com/o/r.git/git-upload-pack",
                "/relay/git/user@github.com/o/r.git/git-upload-pack",
                "/relay/git/github.com/o%2Fr.git/git-upload-pack",
                "/relay/git/github.com/o%2fr.git/git-upload-pack",
                "/relay/git/github.com/o%5Cr.git/git-upload-pack",
                "/relay/git/github.com/o%5cr.git/git-upload-pack",
                "/relay/git/github.com/o%00/r.git/git-upload-pack",
                "/relay/git/github.com/o/../p/r.git/git-upload-pack",
                "/relay/git/github.com/o/./r.git/git-upload-pack",
                "/relay/git/github.com/o//r.git/git-upload-pack",
                "/relay/git/github.com/o/r.git/git-upload-pack/",
                "/relay/git/github.com/o/r%2Egit/git-upload-pack",
                "/relay/git/github.com/o/r.git/objects/pack/x.pack",
                "/relay/git/github.com/o/r.git/HEAD",
                "/relay/git/github.com/git-upload-pack",
                "/relay/git/github.com",
                "/relay/other/github.com/o/r.git/git-upload-pack",
            })
    void refusesAnythingButANormalFormSmartHttpPath(String path) {
        assertThatThrownBy(() -> GitRelayPath.parse("POST", path, null)).isInstanceOf(RelayRefusal.class);
    }

    @ParameterizedTest
    @CsvSource({
        "POST, /relay/git/github.com/o/r.git/info/refs, service=git-upload-pack",
        "GET, /relay/git/github.com/o/r.git/info/refs, service=git-upload-pack&x=1",
        "GET, /relay/git/github.com/o/r.git/info/refs, ",
        "GET, /relay/git/github.com/o/r.git/git-upload-pack, ",
        "POST, /relay/git/github.com/o/r.git/git-receive-pack, x=1",
    })
    void refusesTheWrongMethodOrQuery(String method, String path, String query) {
        assertThatThrownBy(() -> GitRelayPath.parse(method, path, query)).isInstanceOf(RelayRefusal.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Set-Cookie",
                "set-cookie2",
                "WWW-Authenticate",
                "Proxy-Authenticate",
                "Location",
                "Authentication-Info"
            })
    void answersLeaveTheirCookiesChallengesAndRedirectTargetsBehind(String name) {
        assertThat(RelayHeaders.filterResponse(new HttpField(name, "x"))).isNull();
        assertThat(RelayHeaders.filterResponse(new HttpField("Content-Type", "x")))
                .isNotNull();
    }
}
