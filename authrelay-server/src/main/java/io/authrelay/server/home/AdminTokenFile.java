package io.authrelay.server.home;

import io.authrelay.core.Transactions;
import io.authrelay.core.redaction.SecretRedactor;
import io.authrelay.core.token.Tokens;
import io.authrelay.server.StartupRefusal;
import io.authrelay.server.sql.SqlAdminCredential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin token lives in a 0600 file for the local CLI to read; the database keeps only its hash. This class keeps
 * the two in agreement. A missing file is re-issued at start (the home's owner is the admin anyway); a file that does
 * not match the stored hash was replaced by someone, so the daemon refuses rather than trust it.
 */
public final class AdminTokenFile {
    private static final Logger log = LoggerFactory.getLogger(AdminTokenFile.class);

    private final Path file;
    private final SqlAdminCredential stored;
    private final Transactions tx;
    private final Clock clock;
    private volatile String hash;

    private AdminTokenFile(Path file, SqlAdminCredential stored, Transactions tx, Clock clock) {
        this.file = file;
        this.stored = stored;
        this.tx = tx;
        this.clock = clock;
    }

    /** Checks the file against the stored hash, or issues a token when either is missing. */
    public static AdminTokenFile ensure(DaemonHome home, SqlAdminCredential stored, Transactions tx, Clock clock) {
        AdminTokenFile adminToken = new AdminTokenFile(home.adminToken(), stored, tx, clock);
        Path file = adminToken.file;
        try {
            var hash = stored.tokenHash();
            if (hash.isPresent() && Files.exists(file)) {
                String token = Files.readString(file, StandardCharsets.UTF_8).trim();
                SecretRedactor.register(token);
                if (!Tokens.matches(token, hash.get())) {
                    throw new StartupRefusal("admin token " + file + " does not match this database:"
                            + " delete it and restart to issue a new one");
                }
                adminToken.hash = hash.get();
                return adminToken;
            }
            if (hash.isPresent()) log.warn("admin token file {} was missing; issuing a new admin token", file);
            adminToken.issue();
            return adminToken;
        } catch (IOException | UncheckedIOException e) {
            throw new StartupRefusal("cannot read or write admin token " + file + ": " + e.getMessage(), e);
        }
    }

    /** The hash requests are checked against: it changes when the token is rotated. */
    public String hash() {
        return hash;
    }

    public Path file() {
        return file;
    }

    /**
     * Issues a new admin token: the old one stops working as soon as this returns. The stored hash and the file change
     * in one database transaction, so a file that cannot be written leaves the old token in force.
     *
     * @return the new token
     */
    public synchronized String rotate() {
        String token = issue();
        log.info("admin token rotated; the new one is in {}", file);
        return token;
    }

    private String issue() {
        String token = Tokens.generate(Tokens.ADMIN_PREFIX);
        SecretRedactor.register(token);
        String newHash = Tokens.hash(token);
        byte[] previous = readIfPresent();
        boolean[] fileReplaced = {false};
        try {
            tx.inTransaction(() -> {
                stored.replace(newHash, clock.instant());
                write((token + "\n").getBytes(StandardCharsets.UTF_8));
                fileReplaced[0] = true;
                return null;
            });
        } catch (RuntimeException commitFailed) {
            // The file was replaced inside the transaction, which then did not commit: the database still holds the
            // old hash, so the old token goes back into the file, or the CLI would be locked out and the next start
            // refused.
            if (fileReplaced[0] && previous != null) write(previous);
            throw commitFailed;
        }
        hash = newHash;
        return token;
    }

    private byte[] readIfPresent() {
        try {
            return Files.exists(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(byte[] content) {
        try {
            PrivateFiles.writeAtomically(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
