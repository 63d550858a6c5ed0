package io.authrelay.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.DomainException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Paths are normalised before a grant sees them, and anything ambiguous is refused rather than guessed. */
class RepoPathTest {
    @ParameterizedTest
    @CsvSource({
        "my-org/repo.git, my-org/repo",
        "/my-org/repo.git/, my-org/repo",
        "my-org//repo, my-org/repo",
        "./my-org/./repo, my-org/repo",
        "my-org/x/../repo.git, my-org/repo",
        "my-org/../other-org/repo, other-org/repo",
        "my-org/%72epo, my-org/repo",
        "my-org/%2e%2e/other-org/repo, other-org/repo",
        "my-org/caf%C3%A9, my-org/café",
        "my-org/.git, my-org/.git",
        "My-Org/Repo, My-Org/Repo"
    })
    void normalises(String raw, String normalised) {
        assertThat(RepoPath.normalise(raw)).isEqualTo(normalised);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../other-org/repo",
                "my-org/../../x",
                "my-org%2Frepo",
                "my-org%2frepo",
                "my-org%5Crepo",
                "my-org\\repo",
                "my-org/%252e%252e/x",
                "my-org/%zz",
                "my-org/%",
                "my-org/%C3",
                "my-org/re po",
                "my-org/repo\t",
                "my-org/repo\r",
                "my-org/repo\n",
                "my-org/re\u0000po",
                "my-org/%00",
                "my-org/\u2028",
                "my-org/\u00a0repo",
                "my-org/*"
            })
    void refusesAmbiguousOrDangerousPaths(String raw) {
        assertThatThrownBy(() -> RepoPath.normalise(raw))
                .isInstanceOf(DomainException.class)
                .extracting(e -> ((DomainException) e).code())
                .isEqualTo("invalid_path");
    }

    @Property(tries = 1000)
    void aNormalisedPathIsCanonical(@ForAll("paths") String raw) {
        String path;
        try {
            path = RepoPath.normalise(raw);
        } catch (DomainException refused) {
            return;
        }
        if (path == null) return;
        assertThat(path).doesNotStartWith("/").doesNotEndWith("/").doesNotContain("//");
        assertThat(path.split("/")).doesNotContain(".", "..");
        assertThat(RepoPath.normalise(path)).isEqualTo(path);
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.of("..", ".", "", "%2e%2e", "%2E", "repo.git", "a", "%41"),
                Arbitraries.strings()
                        .withCharRange('a', 'z')
                        .withChars('%', '.', '-')
                        .ofMaxLength(6));
        return segment.list().ofMaxSize(6).map(s -> String.join("/", s));
    }
}
