package io.authrelay.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.DomainException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Hosts are plain ASCII, lower-cased and compared exactly: no Unicode folding can turn a lookalike into a grant. */
class HostNameTest {
    @ParameterizedTest
    @CsvSource({
        "github.com, github.com",
        "GitHub.COM, github.com",
        "github.com., github.com",
        "git.example.test:8443, git.example.test:8443",
        "127.0.0.1:7878, 127.0.0.1:7878",
        "[::1]:8080, [::1]:8080",
        "XN--GTHUB-2TA.com, xn--gthub-2ta.com",
        "a-b.c0, a-b.c0"
    })
    void normalisesAsciiNames(String raw, String normalised) {
        assertThat(HostName.parse(raw).toString()).isEqualTo(normalised);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "g\u0131thub.com", // dotless i: Java would case-fold it onto github.com
                "gith\u00fcb.com",
                "\u212aube.example", // Kelvin sign lower-cases to k
                "github.co\u0271",
                "\uff47ithub.com", // fullwidth g
                "g\u0456thub.com", // Cyrillic i
                "github.com\u200b", // zero-width space
                "github.com\u3002", // ideographic full stop
                "user@github.com",
                "github.com ",
                " github.com",
                "github.com\t",
                "github.com\r",
                "github.com\n",
                "github\u0000.com",
                "github.com/org",
                "github.com?x",
                "github.com#x",
                "github%2ecom",
                "github.com\\evil",
                "github..com",
                ".github.com",
                "github.com..",
                "-github.com",
                "github-.com",
                "git_hub.com",
                "github.com:",
                "github.com:0",
                "github.com:65536",
                "github.com:443:1",
                "github.com:+443",
                "[::1",
                "[::1]x",
                "[zz::1]",
                ""
            })
    void refusesWhatIsNotAPlainAsciiHost(String raw) {
        assertThatThrownBy(() -> HostName.parse(raw))
                .isInstanceOf(DomainException.class)
                .extracting(e -> ((DomainException) e).code())
                .isEqualTo("invalid_host");
    }

    @Test
    void refusesNullAndOverlongNames() {
        assertThatThrownBy(() -> HostName.parse(null)).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> HostName.parse("a".repeat(64) + ".com")).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> HostName.parse(("abc.").repeat(70) + "com")).isInstanceOf(DomainException.class);
    }

    @Test
    void aDefaultPortIsTheSameServerAndAnyOtherPortIsNot() {
        HostName grant = HostName.parse("github.com");
        assertThat(grant.sameServer(HostName.parse("github.com:443"), "https")).isTrue();
        assertThat(grant.sameServer(HostName.parse("GITHUB.com."), "https")).isTrue();
        assertThat(grant.sameServer(HostName.parse("github.com:8443"), "https")).isFalse();
        assertThat(grant.sameServer(HostName.parse("github.com:80"), "https")).isFalse();
        assertThat(grant.sameServer(HostName.parse("github.com:80"), "http")).isTrue();
        assertThat(HostName.parse("git.test:8443").sameServer(HostName.parse("git.test"), "https"))
                .isFalse();
        assertThat(grant.sameServer(HostName.parse("github.com.evil.example"), "https"))
                .isFalse();
        assertThat(grant.sameServer(HostName.parse("xn--gthub-2ta.com"), "https"))
                .isFalse();
    }

    @Property(tries = 500)
    void anyNonAsciiCharacterAnywhereIsRefused(@ForAll("withNonAscii") String raw) {
        assertThatThrownBy(() -> HostName.parse(raw)).isInstanceOf(DomainException.class);
    }

    @Property(tries = 500)
    void parsingIsIdempotentAndCaseInsensitiveForAscii(@ForAll("asciiHosts") String raw) {
        HostName parsed = HostName.parse(raw);
        assertThat(HostName.parse(parsed.toString())).isEqualTo(parsed);
        assertThat(HostName.parse(raw.toUpperCase(java.util.Locale.ROOT))).isEqualTo(parsed);
        assertThat(parsed.toString()).matches("[a-z0-9.:-]+");
    }

    @Provide
    Arbitrary<String> withNonAscii() {
        Arbitrary<String> ascii =
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10);
        Arbitrary<Character> foreign = Arbitraries.chars().range('\u0080', '\uffff');
        return net.jqwik.api.Combinators.combine(ascii, foreign, ascii).as((a, c, b) -> a + c + b + ".com");
    }

    @Provide
    Arbitrary<String> asciiHosts() {
        Arbitrary<String> label = Arbitraries.strings()
                .withCharRange('a', 'z')
                .withCharRange('0', '9')
                .ofMinLength(1)
                .ofMaxLength(12);
        Arbitrary<String> name = label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
        Arbitrary<String> port =
                Arbitraries.integers().between(1, 65535).map(p -> ":" + p).injectNull(0.5);
        return net.jqwik.api.Combinators.combine(name, port).as((n, p) -> p == null ? n : n + p);
    }
}
