package io.authrelay.server.home;

import io.authrelay.core.redaction.SecretRedactor;
import io.authrelay.server.StartupRefusal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A secret an operator provisions as a file (a mounted Kubernetes Secret, a systemd credential): owner-only, read
 * whole, trimmed, never empty, and registered with the log redactor before anything can quote it.
 */
public final class SecretFile {
    private SecretFile() {}

    public static String read(Path path, String what) {
        String secret;
        try {
            PrivateFiles.requireOwnerOnly(path, what);
            secret = Files.readString(path, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new StartupRefusal("cannot read the " + what + " " + path + ": " + e.getMessage(), e);
        }
        if (secret.isEmpty()) throw new StartupRefusal("the " + what + " " + path + " is empty");
        SecretRedactor.register(secret);
        return secret;
    }
}
