package io.authrelay.server.testing;

import io.authrelay.server.ExternalTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A private certificate authority made with openssl (a corporate CA in miniature), and server certificates it signs.
 * Keys are RSA 2048, valid one day; server keys are PKCS#8, as the daemon's --tls-key wants.
 */
public final class PrivateCa {
    private final Path openssl;
    private final Path dir;
    private final Path cert;
    private final Path key;

    private PrivateCa(Path openssl, Path dir) {
        this.openssl = openssl;
        this.dir = dir;
        this.cert = dir.resolve("ca.pem");
        this.key = dir.resolve("ca.key");
    }

    /** A new authority in {@code dir} (created); skips the test (fails under CI) without openssl. */
    public static PrivateCa create(Path dir, String name) {
        PrivateCa ca = new PrivateCa(ExternalTool.require("openssl"), mkdirs(dir));
        ca.run(List.of(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=" + name,
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout",
                ca.key.toString(),
                "-out",
                ca.cert.toString()));
        return ca;
    }

    /** The authority's certificate: the PEM a client trusts. */
    public Path certificate() {
        return cert;
    }

    /** A server certificate for {@code subjectAltNames} (e.g. "DNS:localhost", "IP:127.0.0.1"), signed by this CA. */
    public Issued issue(String name, String... subjectAltNames) {
        Path serverKey = dir.resolve(name + ".key");
        Path request = dir.resolve(name + ".csr");
        Path serverCert = dir.resolve(name + ".pem");
        Path extensions = dir.resolve(name + ".ext");
        try {
            Files.writeString(extensions, "subjectAltName=" + String.join(",", subjectAltNames) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(List.of(
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=" + name,
                "-keyout",
                serverKey.toString(),
                "-out",
                request.toString()));
        run(List.of(
                "x509",
                "-req",
                "-in",
                request.toString(),
                "-CA",
                cert.toString(),
                "-CAkey",
                key.toString(),
                "-CAcreateserial",
                "-days",
                "1",
                "-extfile",
                extensions.toString(),
                "-out",
                serverCert.toString()));
        return new Issued(serverCert, serverKey);
    }

    /** A server's certificate and PKCS#8 key, both PEM. */
    public record Issued(Path certificate, Path key) {}

    private void run(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(openssl.toString());
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) throw new AssertionError("openssl " + args.getFirst() + " failed:\n" + output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
