package io.authrelay.core.net;

import io.authrelay.core.DomainException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * A repository path as grants match it: percent-decoded once, without empty segments ({@code //}), {@code .} or
 * {@code ..} (resolved, never above the root), without a leading or trailing {@code /} and without a trailing
 * {@code .git}. So {@code /my-org/./x/../repo.git} is {@code my-org/repo}, and a grant for {@code my-org/*} does not
 * cover {@code my-org/../other-org/repo}.
 *
 * <p>Refused rather than guessed: an encoded separator ({@code %2F}, {@code %5C}), which a server may read as part of a
 * name while we would read it as a separator; a {@code %} left after decoding (double encoding); a backslash;
 * whitespace, control characters and NUL; invalid UTF-8.
 */
public final class RepoPath {
    public static final int MAX_LENGTH = 1024;

    private RepoPath() {}

    /** @return the normalised path, or null for a null or empty one (no path) */
    public static String normalise(String raw) {
        return normalise(raw, false);
    }

    /** A grant's pattern: the same rules, and {@code *} may appear in it. */
    public static String normalisePattern(String raw) {
        return normalise(raw, true);
    }

    private static String normalise(String raw, boolean pattern) {
        if (raw == null || raw.isEmpty()) return null;
        if (raw.length() > MAX_LENGTH) throw invalid(raw, "it is longer than " + MAX_LENGTH + " characters");
        String lower = raw.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c")) throw invalid(raw, "it contains an encoded separator");
        String decoded = percentDecode(raw);
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c <= 0x20
                    || c == 0x7f
                    || Character.isWhitespace(c)
                    || Character.isSpaceChar(c)
                    || Character.isISOControl(c)) {
                throw invalid(raw, "it contains whitespace or a control character");
            }
            if (c == '\\') throw invalid(raw, "it contains a backslash");
            if (c == '%') throw invalid(raw, "it is percent-encoded twice");
            if (!pattern && c == '*') throw invalid(raw, "it contains '*'");
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : decoded.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) continue;
            if (segment.equals("..")) {
                if (segments.isEmpty()) throw invalid(raw, "it climbs above the root with '..'");
                if (pattern) throw invalid(raw, "a grant's path may not contain '..'");
                segments.removeLast();
                continue;
            }
            segments.addLast(segment);
        }
        if (segments.isEmpty()) return null;
        String last = segments.removeLast();
        if (last.endsWith(".git") && last.length() > 4) last = last.substring(0, last.length() - 4);
        segments.addLast(last);
        return String.join("/", segments);
    }

    private static String percentDecode(String raw) {
        if (raw.indexOf('%') < 0) return raw;
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '%') {
                out.write(bytes[i]);
                continue;
            }
            if (i + 2 >= bytes.length || hex(bytes[i + 1]) < 0 || hex(bytes[i + 2]) < 0) {
                throw invalid(raw, "it has a malformed %-escape");
            }
            out.write(hex(bytes[i + 1]) << 4 | hex(bytes[i + 2]));
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid(raw, "it is not valid UTF-8 once decoded");
        }
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }

    private static DomainException invalid(String raw, String why) {
        return DomainException.invalid(
                "invalid_path",
                "path '" + Printable.of(raw) + "' is refused: " + why,
                "send the repository path as git does, e.g. my-org/repo.git");
    }
}
