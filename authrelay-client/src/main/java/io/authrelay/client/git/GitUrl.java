package io.authrelay.client.git;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A {@code url=} value split the way git's {@code credential_from_url} does: {@code scheme://} is required;
 * userinfo before {@code @} gives username and password; the host runs to the first {@code /}, {@code ?} or
 * {@code #} and keeps any port; the path drops leading and trailing slashes; components are %-decoded.
 * A component that decodes to a NUL or a newline is refused as an {@link UnsafeAttributeException}: git's format
 * cannot carry it, and C code would cut the value at the NUL where Java would not.
 */
public record GitUrl(String protocol, String host, String path, String username, String password) {

    /**
     * @throws UnsafeAttributeException when a component decodes to a NUL or a newline
     * @throws MalformedCredentialException when there is no scheme or a component is not UTF-8
     */
    public static GitUrl parse(String url) throws MalformedCredentialException {
        int protoEnd = url.indexOf("://");
        if (protoEnd <= 0) throw new MalformedCredentialException("url= has no scheme (expected scheme://host/path)");
        int cp = protoEnd + 3;
        int at = url.indexOf('@', cp);
        int colon = url.indexOf(':', cp);
        int slash = cp;
        while (slash < url.length() && "/?#".indexOf(url.charAt(slash)) < 0) slash++;
        String username = null;
        String password = null;
        int host;
        if (at < 0 || slash <= at) {
            host = cp;
        } else if (colon < 0 || at <= colon) {
            username = decode(url.substring(cp, at), "username");
            host = at + 1;
        } else {
            username = decode(url.substring(cp, colon), "username");
            password = decode(url.substring(colon + 1, at), "password");
            host = at + 1;
        }
        String hostValue = decode(url.substring(host, slash), "host");
        int p = slash;
        while (p < url.length() && url.charAt(p) == '/') p++;
        String path = null;
        if (p < url.length()) {
            path = decode(url.substring(p), "path");
            int end = path.length();
            while (end > 1 && path.charAt(end - 1) == '/') end--;
            path = path.substring(0, end);
        }
        return new GitUrl(url.substring(0, protoEnd), hostValue, path, username, password);
    }

    /** %XX decoding as git's url_decode (invalid escapes stay as they are). */
    static String decode(String s, String component) throws MalformedCredentialException {
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '%' && i + 2 < raw.length && hex(raw[i + 1]) >= 0 && hex(raw[i + 2]) >= 0) {
                out.write(hex(raw[i + 1]) << 4 | hex(raw[i + 2]));
                i += 2;
            } else {
                out.write(b);
            }
        }
        byte[] bytes = out.toByteArray();
        for (byte b : bytes) {
            if (b == '\n' || b == 0)
                throw new UnsafeAttributeException(component, "it contains a NUL or newline (from url=)");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedCredentialException("url= has invalid UTF-8 in its " + component);
        }
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') return b - '0';
        if (b >= 'a' && b <= 'f') return b - 'a' + 10;
        if (b >= 'A' && b <= 'F') return b - 'A' + 10;
        return -1;
    }
}
