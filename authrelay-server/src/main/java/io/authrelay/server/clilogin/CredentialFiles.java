package io.authrelay.server.clilogin;

import io.authrelay.core.clilogin.CapturedCredential;
import io.authrelay.core.clilogin.CredentialCapture;
import io.authrelay.core.vault.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the credential a CLI's login wrote into its run's home, as its driver describes it. A file counts only when it
 * is a regular file (not a link out of the home) written after the run started, parses, and holds a non-empty access
 * token; anything else is a failed login with the reason, never a half-read credential.
 */
final class CredentialFiles {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Larger than any credential file the CLIs write; a bigger one is not read into memory. */
    private static final long MAX_BYTES = 256 * 1024;

    /** A credential file was missing, stale, or did not hold what the driver says; the message says which. */
    static final class Unusable extends Exception {
        Unusable(String message) {
            super(message);
        }
    }

    private CredentialFiles() {}

    static CapturedCredential read(Path home, CredentialCapture capture, String kind, Instant runStarted)
            throws Unusable {
        String text = freshText(home, capture.file(), runStarted);
        JsonNode root = parse(capture.file(), text);
        Secret access = secret(root, capture.accessToken(), capture.file(), true);
        Secret refresh =
                capture.refreshToken() == null ? null : secret(root, capture.refreshToken(), capture.file(), false);
        Instant expires = capture.expiresAt() == null
                ? null
                : expiry(root.at(capture.expiresAt()), capture.expiresAtFormat(), capture.file());
        return new CapturedCredential(kind, access, refresh, expires, account(home, capture, root), new Secret(text));
    }

    private static String freshText(Path home, String relative, Instant runStarted) throws Unusable {
        Path file = home.resolve(relative).normalize();
        if (!isInside(home, file)) throw new Unusable("the driver's credential file is outside the run's home");
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
            throw new Unusable("the CLI reported success but wrote no " + relative);
        try {
            if (Files.size(file) > MAX_BYTES) throw new Unusable(relative + " is too large to be a credential file");
            Instant written =
                    Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant();
            if (written.isBefore(runStarted.minusSeconds(1)))
                throw new Unusable(relative + " was not written by this login (it is older than the run)");
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Unusable("cannot read " + relative + ": " + e.getClass().getSimpleName());
        }
    }

    /**
     * Whether {@code file} (normalised) lies in the home, its directories included: the CLI may have made one of them
     * a link to elsewhere (the daemon's home, another run), which the file's own no-follow check does not see.
     */
    private static boolean isInside(Path home, Path file) {
        if (!file.startsWith(home)) return false;
        try {
            return file.getParent().toRealPath().startsWith(home.toRealPath());
        } catch (IOException e) {
            return true; // no such directory: then there is no such file either, which the caller reports
        }
    }

    private static JsonNode parse(String file, String text) throws Unusable {
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || !root.isObject()) throw new Unusable(file + " is not a JSON object");
            return root;
        } catch (JacksonException e) {
            // Never the parser's message: it quotes the file, and the file holds the tokens.
            throw new Unusable(file + " is not valid JSON");
        }
    }

    private static Secret secret(JsonNode root, String pointer, String file, boolean required) throws Unusable {
        JsonNode node = root.at(pointer);
        if (node.isString() && !node.asString().isBlank()) return new Secret(node.asString());
        if (!required
                && (node.isMissingNode() || node.isNull() || node.asString("").isEmpty())) return null;
        throw new Unusable(file + " has no usable value at " + pointer);
    }

    private static Instant expiry(JsonNode node, String format, String file) throws Unusable {
        try {
            return switch (format == null ? "epoch_ms" : format) {
                case "epoch_ms" -> Instant.ofEpochMilli(node.asLong());
                case "epoch_s" -> Instant.ofEpochSecond(node.asLong());
                case "rfc3339" -> Instant.parse(node.asString());
                case "jwt_exp" -> jwtExpiry(node.asString());
                default -> throw new Unusable("unknown expires_at_format " + format);
            };
        } catch (RuntimeException e) {
            throw new Unusable(file + ": its expiry does not read as " + format);
        }
    }

    /** The {@code exp} claim of a JWT's payload; null when the token is not a JWT (opaque tokens say nothing). */
    static Instant jwtExpiry(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) return null;
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        JsonNode exp = claims.path("exp");
        return exp.isNumber() ? Instant.ofEpochSecond(exp.asLong()) : null;
    }

    private static String account(Path home, CredentialCapture capture, JsonNode root) {
        if (capture.account() == null) return null;
        JsonNode source = root;
        if (capture.accountFile() != null) {
            Path file = home.resolve(capture.accountFile()).normalize();
            if (!isInside(home, file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return null;
            try {
                source = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException | JacksonException | DateTimeParseException e) {
                return null; // the account is a nicety for confirmation; the credential stands without it
            }
        }
        JsonNode account = source.at(capture.account());
        return account.isString() && !account.asString().isBlank() ? account.asString() : null;
    }
}
