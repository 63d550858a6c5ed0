package io.authrelay.server.pty;

/**
 * What a terminal answers to the queries CLIs send before they draw. Gemini's full-screen app sends
 * {@code CSI ?u}, {@code OSC 11;?}, {@code CSI >q}, {@code CSI >4;?m} and then {@code CSI c} (device attributes) as
 * the sentinel it waits for (about a second when none comes); others ask for the cursor position ({@code CSI 6n}).
 * The answers describe a plain VT220-like terminal of the run's size with a black background.
 */
final class TerminalReplies {
    private static final String ESC = "\u001b";

    private final int rows;
    private final int columns;

    TerminalReplies(int rows, int columns) {
        this.rows = rows;
        this.columns = columns;
    }

    /** The reply to one query from {@link TerminalDecoder#takeQueries()}, or null when a terminal stays silent. */
    String replyTo(String query) {
        return switch (query) {
            case "[6n" -> ESC + "[1;1R";
            case "[?6n" -> ESC + "[?1;1R";
            case "[5n" -> ESC + "[0n";
            case "[c", "[0c" -> ESC + "[?62;22c";
            case "[>c", "[>0c" -> ESC + "[>1;10;0c";
            case "[?u" -> ESC + "[?0u";
            case "[>q", "[>0q" -> ESC + "P>|authrelay" + ESC + "\\";
            case "[18t" -> ESC + "[8;" + rows + ";" + columns + "t";
            case "[14t" -> ESC + "[4;" + rows * 16 + ";" + columns * 8 + "t";
            case "]10;?" -> ESC + "]10;rgb:ffff/ffff/ffff" + ESC + "\\";
            case "]11;?" -> ESC + "]11;rgb:0000/0000/0000" + ESC + "\\";
            default -> null;
        };
    }
}
