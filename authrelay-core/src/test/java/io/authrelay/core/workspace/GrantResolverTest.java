package io.authrelay.core.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.core.DomainException;
import io.authrelay.core.fake.InMemoryCore;
import io.authrelay.core.net.HostName;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A credential goes only where a grant says: the host, the path, the protocol and the provider must all agree. */
class GrantResolverTest {
    private final InMemoryCore core = new InMemoryCore();
    private final GrantResolver resolver = new GrantResolver(core.context.providers());

    private static Workspace workspace(Grant... grants) {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        return new Workspace("ws_1", "agent", "hash", List.of(grants), null, null, now, now);
    }

    private static Grant pathGrant(boolean allowExec) {
        return Grant.parse(InMemoryCore.PROVIDER, "github.com/my-org/*", HostName.parse("github.com"), allowExec);
    }

    private static VendRequest git(String protocol, String host, String path) {
        return new VendRequest(protocol, host, path, null, List.of(), null);
    }

    private static VendRequest named(String provider, String host, String path) {
        return new VendRequest(null, host, path, null, List.of(), provider);
    }

    private String codeOf(Workspace w, VendRequest r) {
        try {
            resolver.resolve(w, r);
            return "granted";
        } catch (DomainException e) {
            return e.code();
        }
    }

    @Test
    void aPathGrantServesOnlyItsPaths() {
        Workspace w = workspace(pathGrant(false));
        assertThat(codeOf(w, git("https", "github.com", "my-org/repo.git"))).isEqualTo("granted");
        assertThat(codeOf(w, git("https", "GitHub.com.", "/my-org//repo"))).isEqualTo("granted");
        assertThat(codeOf(w, git("https", "github.com:443", "my-org/./x/../repo")))
                .isEqualTo("granted");
        assertThat(codeOf(w, git("https", "github.com", "other-org/repo"))).isEqualTo("not_granted");
        assertThat(codeOf(w, git("https", "github.com", "my-org/../other-org/repo")))
                .isEqualTo("not_granted");
        assertThat(codeOf(w, git("https", "github.com", "my-org/%2e%2e/other-org/repo")))
                .isEqualTo("not_granted");
        assertThat(codeOf(w, git("https", "github.com", "my-org/team/repo"))).isEqualTo("not_granted");
        assertThat(codeOf(w, git("https", "github.com", null))).isEqualTo("not_granted");
        assertThat(codeOf(w, git("https", "github.com", "my-org%2Frepo"))).isEqualTo("invalid_path");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"g\u0131thub.com", "gith\u0443b.com", "github.com\u0000", "x@github.com", "github.com evil"})
    void lookalikeAndMalformedHostsNeverMatch(String host) {
        Workspace w = workspace(new Grant(InMemoryCore.PROVIDER, HostName.parse("github.com"), null, false));
        assertThat(codeOf(w, git("https", host, "my-org/repo"))).isEqualTo("invalid_host");
        assertThat(codeOf(w, named(InMemoryCore.PROVIDER, host, null))).isEqualTo("invalid_host");
    }

    @Test
    void otherPortsAndOtherHostsAreNotTheGrantedHost() {
        Workspace w = workspace(new Grant(InMemoryCore.PROVIDER, HostName.parse("github.com"), null, false));
        assertThat(codeOf(w, git("https", "github.com:8443", "o/r"))).isEqualTo("unknown_host");
        assertThat(codeOf(w, git("https", "github.com.evil.example", "o/r"))).isEqualTo("unknown_host");
        assertThat(codeOf(w, git("https", "evil.example", "o/r"))).isEqualTo("unknown_host");
    }

    @Test
    void plainHttpAndOtherProtocolsGetNothing() {
        Workspace w = workspace(new Grant(InMemoryCore.PROVIDER, HostName.parse("github.com"), null, false));
        assertThat(codeOf(w, git("http", "github.com", "o/r"))).isEqualTo("insecure_protocol");
        assertThat(codeOf(w, git("HTTP", "github.com", "o/r"))).isEqualTo("insecure_protocol");
        assertThat(codeOf(w, git("ftp", "github.com", "o/r"))).isEqualTo("invalid_protocol");
        assertThat(codeOf(w, git("https\n", "github.com", "o/r"))).isEqualTo("invalid_protocol");
        assertThat(codeOf(w, git("HTTPS", "github.com", "o/r"))).isEqualTo("granted");
    }

    @Test
    void namingTheProviderNeverBypassesTheHostOrThePath() {
        Workspace w = workspace(pathGrant(false));
        assertThat(codeOf(w, named(InMemoryCore.PROVIDER, "evil.example", null)))
                .isEqualTo("not_granted");
        assertThat(codeOf(w, named(InMemoryCore.PROVIDER, "github.com", "other-org/repo")))
                .isEqualTo("not_granted");
        assertThat(codeOf(w, named(InMemoryCore.PROVIDER, "github.com", "my-org/repo")))
                .isEqualTo("granted");
        assertThat(codeOf(w, named(InMemoryCore.PROVIDER, null, "my-org/repo"))).isEqualTo("missing_host");
        assertThat(codeOf(w, named("other", "github.com", "my-org/repo"))).isEqualTo("not_granted");
    }

    @Test
    void aProviderAloneNeedsAWholeHostGrantOrAllowExec() {
        assertThat(codeOf(workspace(pathGrant(false)), named(InMemoryCore.PROVIDER, null, null)))
                .isEqualTo("exec_not_granted");
        assertThat(codeOf(workspace(pathGrant(true)), named(InMemoryCore.PROVIDER, null, null)))
                .isEqualTo("granted");
        Grant wholeHost = new Grant(InMemoryCore.PROVIDER, HostName.parse("github.com"), null, false);
        assertThat(codeOf(workspace(wholeHost), named(InMemoryCore.PROVIDER, null, null)))
                .isEqualTo("granted");
    }

    @Test
    void aRequestWithNothingToMatchIsInvalid() {
        assertThat(codeOf(workspace(pathGrant(true)), git(null, null, null))).isEqualTo("missing_host");
    }
}
