package io.authrelay.client.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class CredentialInputPropertyTest {

    // ------------------------------------------------------------ generators

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "protocol",
                        "host",
                        "path",
                        "username",
                        "password",
                        "password_expiry_utc",
                        "oauth_refresh_token",
                        "authtype",
                        "credential",
                        "ephemeral",
                        "continue",
                        "quit"),
                Arbitraries.strings()
                        .withCharRange('a', 'z')
                        .withChars('_', '-', '.')
                        .ofMinLength(1)
                        .ofMaxLength(12)
                        .filter(k -> !k.equals("url") && !k.endsWith("[]")));
    }

    /** Anything git could put in a value: no LF, no NUL; CR only where it cannot be taken for a line ending. */
    @Provide
    Arbitrary<String> values() {
        return Arbitraries.strings()
                .all()
                .ofMaxLength(40)
                .filter(v -> v.indexOf('\n') < 0 && v.indexOf('\0') < 0 && !v.endsWith("\r") && isWellFormed(v));
    }

    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) return false;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    record Line(String key, String value) {
        String text() {
            return key + "=" + value + "\n";
        }
    }

    @Provide
    Arbitrary<List<Line>> descriptions() {
        Arbitrary<Line> single = Combinators.combine(keys(), values()).as(Line::new);
        Arbitrary<Line> multi = Combinators.combine(
                        Arbitraries.of("wwwauth[]", "capability[]", "state[]", "x[]"),
                        Arbitraries.oneOf(values(), Arbitraries.just("")))
                .as(Line::new);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, single), net.jqwik.api.Tuple.of(2, multi))
                .list()
                .ofMaxSize(40);
    }

    // ------------------------------------------------------------ properties

    /** The reader agrees with a straightforward model of git's rules. */
    @Property(tries = 500)
    void parsesLikeGit(@ForAll("descriptions") List<Line> lines) throws Exception {
        StringBuilder text = new StringBuilder();
        Map<String, String> singles = new LinkedHashMap<>();
        Map<String, List<String>> lists = new LinkedHashMap<>();
        for (Line line : lines) {
            text.append(line.text());
            if (line.key().endsWith("[]")) {
                String name = line.key().substring(0, line.key().length() - 2);
                if (line.value().isEmpty()) lists.remove(name);
                else lists.computeIfAbsent(name, k -> new ArrayList<>()).add(line.value());
            } else {
                singles.put(line.key(), line.value());
            }
        }
        CredentialInput parsed = CredentialInput.parse(text + "\n");
        assertThat(parsed.singles()).isEqualTo(singles);
        assertThat(parsed.lists()).isEqualTo(lists);
    }

    @Property(tries = 500)
    void writeThenReadIsIdentity(@ForAll("descriptions") List<Line> lines) throws Exception {
        StringBuilder text = new StringBuilder();
        for (Line line : lines) text.append(line.text());
        CredentialInput first = CredentialInput.parse(text.toString());
        CredentialInput again = CredentialInput.parse(first.write());
        assertThat(again).isEqualTo(first);
        assertThat(again.write()).isEqualTo(first.write());
    }

    @Property(tries = 300)
    void crlfLineEndingsReadTheSame(@ForAll("descriptions") List<Line> lines) throws Exception {
        StringBuilder lf = new StringBuilder();
        StringBuilder crlf = new StringBuilder();
        for (Line line : lines) {
            lf.append(line.text());
            crlf.append(line.key()).append('=').append(line.value()).append("\r\n");
        }
        assertThat(CredentialInput.parse(crlf + "\r\n")).isEqualTo(CredentialInput.parse(lf + "\n"));
    }

    @Property(tries = 300)
    void stopsAtTheBlankLine(@ForAll("descriptions") List<Line> lines, @ForAll("descriptions") List<Line> after)
            throws Exception {
        StringBuilder text = new StringBuilder();
        for (Line line : lines) text.append(line.text());
        CredentialInput expected = CredentialInput.parse(text.toString());
        text.append('\n');
        for (Line line : after) text.append(line.text());
        text.append("this line is garbage\n");
        assertThat(CredentialInput.parse(text.toString())).isEqualTo(expected);
    }

    /** Whatever the bytes: either a description or a clean MalformedCredentialException, quickly. */
    @Property(tries = 1_000)
    void arbitraryBytesNeverCrash(@ForAll @Size(max = 600) byte[] bytes) throws IOException {
        try {
            CredentialInput parsed = CredentialInput.read(new ByteArrayInputStream(bytes));
            assertThat(parsed).isNotNull();
        } catch (MalformedCredentialException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
        }
    }

    @Property(tries = 300)
    void arbitraryTextLinesNeverCrash(
            @ForAll @Size(max = 30) List<@net.jqwik.api.constraints.StringLength(max = 30) String> lines)
            throws IOException {
        byte[] bytes = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        try {
            CredentialInput.read(new ByteArrayInputStream(bytes));
        } catch (MalformedCredentialException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 50)
    void lineLengthLimitIsEnforced(@ForAll @IntRange(min = 0, max = 2_000) int extra) {
        String line = "path=" + "a".repeat(CredentialInput.MAX_LINE_BYTES - 5 + 1 + extra) + "\n";
        assertThatThrownBy(() -> CredentialInput.parse(line))
                .isInstanceOf(MalformedCredentialException.class)
                .hasMessageContaining("longer than");
    }

    @Example
    void aLineAtTheLimitIsAccepted() throws Exception {
        String value = "a".repeat(CredentialInput.MAX_LINE_BYTES - 5);
        assertThat(CredentialInput.parse("path=" + value + "\n").path()).isEqualTo(value);
    }

    @Property(tries = 20)
    void lineCountLimitIsEnforced(@ForAll @IntRange(min = 1, max = 100) int extra) {
        String text = "wwwauth[]=x\n".repeat(CredentialInput.MAX_LINES + extra);
        assertThatThrownBy(() -> CredentialInput.parse(text))
                .isInstanceOf(MalformedCredentialException.class)
                .hasMessageContaining("more than 512 lines");
    }

    @Example
    void lineCountAtTheLimitIsAccepted() throws Exception {
        assertThat(CredentialInput.parse("wwwauth[]=x\n".repeat(CredentialInput.MAX_LINES))
                        .list("wwwauth"))
                .hasSize(CredentialInput.MAX_LINES);
    }

    /** An endless stream is read only up to the limits: the reader never hangs on it. */
    @Example
    void endlessInputIsCutOff() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'a';
            }
        };
        assertThatThrownBy(() -> CredentialInput.read(endless)).isInstanceOf(MalformedCredentialException.class);
        InputStream endlessLines = new InputStream() {
            private long n;

            @Override
            public int read() {
                return "k=v\n".charAt((int) (n++ % 4));
            }
        };
        assertThatThrownBy(() -> CredentialInput.read(endlessLines)).isInstanceOf(MalformedCredentialException.class);
    }

    @Property(tries = 200)
    void emptyListValueClearsOnlyThatList(
            @ForAll @Size(max = 5)
                    List<
                                    @net.jqwik.api.constraints.AlphaChars
                                    @net.jqwik.api.constraints.StringLength(min = 1, max = 8) String>
                            before,
            @ForAll @Size(max = 5)
                    List<
                                    @net.jqwik.api.constraints.AlphaChars
                                    @net.jqwik.api.constraints.StringLength(min = 1, max = 8) String>
                            after)
            throws Exception {
        StringBuilder text = new StringBuilder("capability[]=authtype\n");
        for (String v : before) text.append("wwwauth[]=").append(v).append('\n');
        text.append("wwwauth[]=\n");
        for (String v : after) text.append("wwwauth[]=").append(v).append('\n');
        CredentialInput parsed = CredentialInput.parse(text.toString());
        assertThat(parsed.list("wwwauth")).isEqualTo(after);
        assertThat(parsed.list("capability")).containsExactly("authtype");
    }

    // ------------------------------------------------------------ examples

    @Example
    void rejectsMalformedLines() {
        assertThatThrownBy(() -> CredentialInput.parse("protocol=https\nnonsense\n"))
                .isInstanceOf(MalformedCredentialException.class)
                .hasMessage("invalid input line 2: expected key=value");
        assertThatThrownBy(() -> CredentialInput.parse("=x\n")).isInstanceOf(MalformedCredentialException.class);
        assertThatThrownBy(() -> CredentialInput.parse("host=a\0b\n"))
                .isInstanceOf(MalformedCredentialException.class)
                .hasMessageContaining("NUL");
        assertThatThrownBy(
                        () -> CredentialInput.read(new ByteArrayInputStream(new byte[] {'h', '=', (byte) 0xff, '\n'})))
                .isInstanceOf(MalformedCredentialException.class)
                .hasMessageContaining("UTF-8");
    }

    @Example
    void valueKeepsEverythingAfterTheFirstEquals() throws Exception {
        CredentialInput parsed = CredentialInput.parse("password=a=b=c\nwwwauth[]=Basic realm=\"x\"\n");
        assertThat(parsed.get("password")).isEqualTo("a=b=c");
        assertThat(parsed.list("wwwauth")).containsExactly("Basic realm=\"x\"");
    }

    @Example
    void endOfInputWithoutNewlineEndsTheLastLine() throws Exception {
        assertThat(CredentialInput.parse("protocol=https\nhost=example.com").host())
                .isEqualTo("example.com");
        assertThat(CredentialInput.parse("").singles()).isEmpty();
    }

    @Example
    void urlIsExpandedLikeGit() throws Exception {
        CredentialInput parsed = CredentialInput.parse(
                "username=old\nwwwauth[]=x\nurl=https://me:p%40ss@example.com:8443/org/repo.git/\n");
        assertThat(parsed.protocol()).isEqualTo("https");
        assertThat(parsed.host()).isEqualTo("example.com:8443");
        assertThat(parsed.path()).isEqualTo("org/repo.git");
        assertThat(parsed.username()).isEqualTo("me");
        assertThat(parsed.get("password")).isEqualTo("p@ss");
        assertThat(parsed.list("wwwauth")).isEmpty();

        CredentialInput later = CredentialInput.parse("url=https://example.com\npath=a/b\n");
        assertThat(later.host()).isEqualTo("example.com");
        assertThat(later.path()).isEqualTo("a/b");
        assertThat(later.username()).isNull();

        assertThat(CredentialInput.parse("url=https://u@h.example/?q#f\n").host())
                .isEqualTo("h.example");
        assertThat(CredentialInput.parse("url=https://h.example//\n").path()).isNull();
        assertThat(CredentialInput.parse("url=https://h%2Eexample/a%20b\n").host())
                .isEqualTo("h.example");
        assertThat(CredentialInput.parse("url=https://h.example/a%20b\n").path())
                .isEqualTo("a b");
        assertThatThrownBy(() -> CredentialInput.parse("url=example.com/x\n"))
                .isInstanceOf(MalformedCredentialException.class);
        assertThatThrownBy(() -> CredentialInput.parse("url=https://h.example/%0a\n"))
                .isInstanceOf(UnsafeAttributeException.class)
                .hasMessage("refusing path: it contains a NUL or newline (from url=)");
        assertThatThrownBy(() -> CredentialInput.parse("url=https://h.example%00.evil/\n"))
                .isInstanceOf(UnsafeAttributeException.class)
                .hasMessage("refusing host: it contains a NUL or newline (from url=)");
        assertThatThrownBy(() -> CredentialInput.parse("url=https://h.example/%ff\n"))
                .isInstanceOf(MalformedCredentialException.class)
                .hasMessage("url= has invalid UTF-8 in its path");
    }

    @Property(tries = 300)
    void urlRoundTripsItsParts(@ForAll("hosts") String host, @ForAll("paths") String path) throws Exception {
        CredentialInput parsed = CredentialInput.parse("url=https://" + host + "/" + path + "\n");
        assertThat(parsed.protocol()).isEqualTo("https");
        assertThat(parsed.host()).isEqualTo(host);
        assertThat(parsed.path()).isEqualTo(path.isEmpty() ? null : path);
    }

    @Provide
    Arbitrary<String> hosts() {
        Arbitrary<String> label = Arbitraries.strings()
                .withCharRange('a', 'z')
                .numeric()
                .ofMinLength(1)
                .ofMaxLength(10);
        return Combinators.combine(
                        label.list().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.oneOf(
                                Arbitraries.just(""),
                                Arbitraries.integers().between(1, 65535).map(p -> ":" + p)))
                .as((labels, port) -> String.join(".", labels) + port);
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.strings()
                .withCharRange('a', 'z')
                .withChars('-', '.', '_')
                .ofMinLength(1)
                .ofMaxLength(8)
                .list()
                .ofMaxSize(4)
                .map(parts -> String.join("/", parts));
    }
}
