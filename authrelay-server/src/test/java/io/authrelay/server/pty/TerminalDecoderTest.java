package io.authrelay.server.pty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TerminalDecoderTest {
    private final TerminalDecoder decoder = new TerminalDecoder();

    @Test
    void stripsColoursCursorMovesPrivateModesOscAndCharsetSelects() {
        String codex = "   \u001b[94mhttp://127.0.0.1:1/codex/device\u001b[0m\r\n";
        String gemini = "\u001b[?1049h\u001b[2J\u001b[H\u001b[?1006l\u001b[<u\u001b[?7hPlease visit:\r\n";
        String title = "\u001b]0;\u25c7  Ready\u0007\u001b(Bplain\u001b)0 text\u001bP>|xterm\u001b\\\n";

        assertThat(decoder.feed(codex + gemini + title))
                .containsExactly("http://127.0.0.1:1/codex/device", "Please visit:", "plain text");
    }

    @Test
    void joinsLinesSplitAcrossReadsAndEndsLinesOnCrLfCrAndLf() {
        List<String> lines = new ArrayList<>();
        lines.addAll(decoder.feed("https://example.test/a?b=1"));
        lines.addAll(decoder.feed("&state=xyz\r"));
        lines.addAll(decoder.feed("\nsecond\r\r\nthird\rfourth\n"));
        assertThat(lines).containsExactly("https://example.test/a?b=1&state=xyz", "second", "third", "fourth");
    }

    @Test
    void anEscapeSequenceSplitAcrossReadsIsStillStripped() {
        List<String> lines = new ArrayList<>(decoder.feed("code: \u001b["));
        lines.addAll(decoder.feed("94mABCD-EFGH\u001b[0"));
        lines.addAll(decoder.feed("m\n"));
        assertThat(lines).containsExactly("code: ABCD-EFGH");
    }

    @Test
    void cutsARunawayLine() {
        String huge = "x".repeat(TerminalDecoder.MAX_LINE * 2);
        assertThat(decoder.feed(huge + "\n")).singleElement().asString().hasSize(TerminalDecoder.MAX_LINE);
    }

    @Test
    void keepsTheOpenPromptLine() {
        assertThat(decoder.feed("\u001b[1G\u001b[0JEnter the authorization code: \u001b[31G"))
                .isEmpty();
        assertThat(decoder.partialLine()).isEqualTo("Enter the authorization code: ");
        assertThat(decoder.finish()).containsExactly("Enter the authorization code:");
    }

    @Test
    void collectsTheQueriesGeminisFullScreenAppSends() {
        // as gemini 0.61.0 writes them before it draws
        decoder.feed("\u001b[8m\u001b[?u\u001b]11;?\u001b\\\u001b[>q\u001b[>4;?m\u001b[c\u001b[2K\r\u001b[0m\u001b[6n");
        List<String> queries = decoder.takeQueries();
        assertThat(queries).containsExactly("[?u", "]11;?", "[>q", "[c", "[6n");
        assertThat(decoder.takeQueries()).isEmpty();

        TerminalReplies replies = new TerminalReplies(50, 500);
        assertThat(replies.replyTo("[c")).isEqualTo("\u001b[?62;22c");
        assertThat(replies.replyTo("[6n")).isEqualTo("\u001b[1;1R");
        assertThat(replies.replyTo("]11;?")).startsWith("\u001b]11;rgb:");
        assertThat(replies.replyTo("[>4;?m")).isNull();
    }
}
