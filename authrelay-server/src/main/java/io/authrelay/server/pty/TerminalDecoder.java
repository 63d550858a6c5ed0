package io.authrelay.server.pty;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a terminal's character stream into plain lines: escape sequences (CSI with any parameters, OSC, DCS and the
 * other string controls, charset selects) are dropped, CR, LF and CRLF all end a line, and text split across reads is
 * kept until its line ends. Queries the program sends to its terminal are collected so the runner can answer them: a
 * full-screen app that asks for the cursor position or the device attributes waits until it hears back.
 *
 * <p>Not thread-safe: one decoder per output stream.
 */
final class TerminalDecoder {
    private enum State {
        TEXT,
        ESCAPE,
        ESCAPE_INTERMEDIATE,
        CSI,
        STRING,
        STRING_ESCAPE
    }

    /** Longer lines are cut: a URL or prompt is far shorter, and a runaway CLI must not fill the daemon's memory. */
    static final int MAX_LINE = 64 * 1024;

    private final StringBuilder line = new StringBuilder();
    private final StringBuilder sequence = new StringBuilder();
    private final List<String> lines = new ArrayList<>();
    private final List<String> queries = new ArrayList<>();
    private State state = State.TEXT;
    private boolean stringIsOsc;

    /** Feeds characters; returns the lines they completed (blank ones left out). */
    List<String> feed(CharSequence chars) {
        lines.clear();
        for (int i = 0; i < chars.length(); i++) accept(chars.charAt(i));
        return List.copyOf(lines);
    }

    /** The text of the line still open: a prompt waits here without a line end. */
    String partialLine() {
        return line.toString();
    }

    /** The queries seen since the last call: {@code CSI ...} as {@code "[" + params + final}, OSC as {@code "]" + body}. */
    List<String> takeQueries() {
        List<String> taken = List.copyOf(queries);
        queries.clear();
        return taken;
    }

    /** Ends the open line, at the end of the stream. */
    List<String> finish() {
        lines.clear();
        endLine();
        return List.copyOf(lines);
    }

    private void accept(char c) {
        switch (state) {
            case TEXT -> text(c);
            case ESCAPE -> escape(c);
            case ESCAPE_INTERMEDIATE -> {
                // charset selects (ESC ( B) and the like: one final byte after the intermediates
                if (c < 0x20 || c > 0x2f) state = State.TEXT;
            }
            case CSI -> csi(c);
            case STRING -> string(c);
            case STRING_ESCAPE -> {
                if (c == '\\') endString();
                else {
                    state = State.STRING;
                    string(c);
                }
            }
        }
    }

    private void text(char c) {
        switch (c) {
            case 0x1b -> state = State.ESCAPE;
            case '\r', '\n' -> endLine();
            case '\t' -> line.append(' ');
            default -> {
                boolean printable = c >= 0x20 && c != 0x7f && (c < 0x80 || c > 0x9f);
                if (printable && line.length() < MAX_LINE) line.append(c);
            }
        }
    }

    private void escape(char c) {
        sequence.setLength(0);
        switch (c) {
            case '[' -> state = State.CSI;
            case ']', 'P', '_', '^', 'X' -> {
                stringIsOsc = c == ']';
                state = State.STRING;
            }
            default -> state = c >= 0x20 && c <= 0x2f ? State.ESCAPE_INTERMEDIATE : State.TEXT;
        }
    }

    private void csi(char c) {
        if (c >= 0x40 && c <= 0x7e) {
            state = State.TEXT;
            String body = sequence.toString();
            if (isQuery(body, c)) queries.add("[" + body + c);
        } else if (c >= 0x20) {
            sequence.append(c);
        } else {
            state = State.TEXT; // a control character aborts the sequence
        }
    }

    private void string(char c) {
        if (c == 0x07) endString();
        else if (c == 0x1b) state = State.STRING_ESCAPE;
        else if (sequence.length() < 256) sequence.append(c);
    }

    private void endString() {
        state = State.TEXT;
        String body = sequence.toString();
        if (stringIsOsc && body.endsWith(";?")) queries.add("]" + body);
    }

    private static boolean isQuery(String params, char fin) {
        return switch (fin) {
            case 'n' -> params.equals("6") || params.equals("?6") || params.equals("5");
            case 'c' -> params.isEmpty() || params.equals("0") || params.equals(">") || params.equals(">0");
            case 'u' -> params.equals("?");
            case 'q' -> params.equals(">") || params.equals(">0");
            case 't' -> params.equals("18") || params.equals("14");
            default -> false;
        };
    }

    private void endLine() {
        if (!line.toString().isBlank()) lines.add(line.toString().strip());
        line.setLength(0);
    }
}
