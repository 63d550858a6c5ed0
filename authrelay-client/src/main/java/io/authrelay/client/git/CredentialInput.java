package io.authrelay.client.git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * git's credential description ({@code git help credential}, "INPUT/OUTPUT FORMAT"): {@code key=value}
 * lines ending at a blank line or end of input. The value is everything after the first {@code =}.
 * Keys ending in {@code []} hold lists: each line appends, and an empty value clears the list. Other keys
 * keep their last value. {@code url=} is expanded into protocol, host, path, username and password as git
 * does, after clearing what was read so far. A trailing CR is dropped (git reads with strbuf_getline).
 * Unknown keys are kept and ignored by callers.
 *
 * <p>Rejected as malformed: a line without {@code =}, an empty key, a NUL byte, invalid UTF-8, a line longer
 * than {@value #MAX_LINE_BYTES} bytes, more than {@value #MAX_LINES} lines, an unparseable {@code url=}, and (as
 * {@link UnsafeAttributeException}) a {@code url=} component that decodes to a NUL or newline.
 */
public final class CredentialInput {
    public static final int MAX_LINE_BYTES = 64 * 1024;
    public static final int MAX_LINES = 512;

    private final Map<String, String> single = new LinkedHashMap<>();
    private final Map<String, List<String>> multi = new LinkedHashMap<>();

    /** Reads one description from {@code in}, consuming up to and including the blank line. */
    public static CredentialInput read(InputStream in) throws IOException, MalformedCredentialException {
        CredentialInput result = new CredentialInput();
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int lines = 0;
        while (true) {
            line.reset();
            boolean eof = readLine(in, line);
            String text = decode(line.toByteArray());
            if (text.isEmpty()) return result; // blank line (LF or CRLF) or end of input
            if (++lines > MAX_LINES)
                throw new MalformedCredentialException("more than " + MAX_LINES + " lines of input");
            result.accept(text, lines);
            if (eof) return result;
        }
    }

    /** Parses a whole description held in a string (lines separated by LF). */
    public static CredentialInput parse(String text) throws MalformedCredentialException {
        try {
            return read(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** @return true at end of input; the line (without LF) is in {@code line} */
    private static boolean readLine(InputStream in, ByteArrayOutputStream line)
            throws IOException, MalformedCredentialException {
        while (true) {
            int b = in.read();
            if (b < 0) return true;
            if (b == '\n') return false;
            if (b == 0) throw new MalformedCredentialException("NUL byte in input");
            if (line.size() >= MAX_LINE_BYTES)
                throw new MalformedCredentialException("input line longer than " + MAX_LINE_BYTES + " bytes");
            line.write(b);
        }
    }

    private static String decode(byte[] bytes) throws MalformedCredentialException {
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') length--;
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedCredentialException("input is not valid UTF-8");
        }
    }

    private void accept(String line, int number) throws MalformedCredentialException {
        int eq = line.indexOf('=');
        if (eq < 0) throw new MalformedCredentialException("invalid input line " + number + ": expected key=value");
        if (eq == 0) throw new MalformedCredentialException("invalid input line " + number + ": empty key");
        put(line.substring(0, eq), line.substring(eq + 1));
    }

    /** Applies one {@code key=value} exactly as if it had been read. */
    public void put(String key, String value) throws MalformedCredentialException {
        if (key.endsWith("[]")) {
            String name = key.substring(0, key.length() - 2);
            if (value.isEmpty()) {
                multi.remove(name);
            } else {
                List<String> values = multi.get(name);
                if (values == null) {
                    values = new ArrayList<>();
                    multi.put(name, values);
                }
                values.add(value);
            }
        } else if (key.equals("url")) {
            applyUrl(value);
        } else {
            single.put(key, value);
        }
    }

    private void applyUrl(String url) throws MalformedCredentialException {
        GitUrl parsed = GitUrl.parse(url);
        // git: credential_clear(c) then credential_from_url(c, value)
        single.clear();
        multi.clear();
        if (parsed.protocol() != null) single.put("protocol", parsed.protocol());
        if (parsed.host() != null) single.put("host", parsed.host());
        if (parsed.path() != null) single.put("path", parsed.path());
        if (parsed.username() != null) single.put("username", parsed.username());
        if (parsed.password() != null) single.put("password", parsed.password());
    }

    public String get(String key) {
        return single.get(key);
    }

    /** The list for {@code name} (without the {@code []}), empty when absent. */
    public List<String> list(String name) {
        List<String> values = multi.get(name);
        return values == null ? List.of() : Collections.unmodifiableList(values);
    }

    public Map<String, String> singles() {
        return Collections.unmodifiableMap(single);
    }

    public Map<String, List<String>> lists() {
        return Collections.unmodifiableMap(multi);
    }

    public String protocol() {
        return get("protocol");
    }

    public String host() {
        return get("host");
    }

    public String path() {
        return get("path");
    }

    public String username() {
        return get("username");
    }

    public boolean hasCapability(String capability) {
        return list("capability").contains(capability);
    }

    /** Serialized in git's format; reading the result gives an equal description. */
    public String write() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : single.entrySet())
            out.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        for (Map.Entry<String, List<String>> e : multi.entrySet()) {
            for (String v : e.getValue())
                out.append(e.getKey()).append("[]=").append(v).append('\n');
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CredentialInput other && single.equals(other.single) && multi.equals(other.multi);
    }

    @Override
    public int hashCode() {
        return single.hashCode() * 31 + multi.hashCode();
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(single);
        if (shown.containsKey("password")) shown.put("password", io.authrelay.client.Redactor.MASK);
        return "CredentialInput" + shown + multi.keySet();
    }
}
