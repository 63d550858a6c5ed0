package io.authrelay.server.home;

import io.authrelay.core.DomainException;
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
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin token lives in a 0600 file for the local CLI to read; the database keeps only its hash. This class keeps
 * the two in agreement. A missing file is re-issued at start (the home's owner is the admin anyway); a file that does
 * not match the stored hash was replaced by someone, so the daemon refuses rather than trust it.
 *
 * <p>With several replicas no replica may issue or replace the token by itself (each would lock the others' callers
 * out): the operator provisions it in a file ({@link #PROVISIONED_ENV}, a mounted secret), the same for every replica,
 * and it is required on PostgreSQL. The daemon then only reads it, copies it into its home for the local CLI, and
 * refuses to rotate it.
 */
public final class AdminTokenFile {
    private static final Logger log = LoggerFactory.getLogger(AdminTokenFile.class);
    public static final String PROVISIONED_ENV = "AUTHRELAY_ADMIN_TOKEN_FILE";
    /** As long as a generated token's random part (256 bits, base64url): shorter ones could be guessed. */
    static final int MIN_PROVISIONED_LENGTH = 43;

    private final Path file;
    private final SqlAdminCredential stored;
    private final Transactions tx;
    private final Clock clock;
    private volatile String hash;
    /** The operator's file this token comes from, or null when this daemon issues it. */
    private Path provisioned;

    private AdminTokenFile(Path file, SqlAdminCredential stored, Transactions tx, Clock clock) {
        this.file = file;
        this.stored = stored;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * The token from {@link #PROVISIONED_ENV} when set; else, on a shared database, a refusal; else {@link #ensure}.
     */
    public static AdminTokenFile open(
            DaemonHome home,
            SqlAdminCredential stored,
            Transactions tx,
            Clock clock,
            Map<String, String> env,
            boolean sharedDatabase) {
        String named = env.get(PROVISIONED_ENV);
        if (named != null && !named.isBlank()) {
            AdminTokenFile adminToken = new AdminTokenFile(home.adminToken(), stored, tx, clock);
            adminToken.useProvisioned(Path.of(named).toAbsolutePath());
            return adminToken;
        }
        if (sharedDatabase) {
            throw new StartupRefusal("on PostgreSQL the admin token is provisioned, so that no replica issues one the"
                    + " others do not know: create it with `authrelay admin-token generate FILE` and name FILE in "
                    + PROVISIONED_ENV + " (the same token for every replica)");
        }
        return ensure(home, stored, tx, clock);
    }

    private void useProvisioned(Path source) {
        String token = SecretFile.read(source, "admin token file");
        if (token.length() < MIN_PROVISIONED_LENGTH || !token.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new StartupRefusal("the admin token in " + source + " must be at least " + MIN_PROVISIONED_LENGTH
                    + " printable characters without spaces: generate one with `authrelay admin-token generate FILE`");
        }
        try {
            // A copy in the home, for the CLI on this machine, which reads the token there and sends it only
            // through the home's socket.
            boolean same = Files.exists(file)
                    && Files.readString(file, StandardCharsets.UTF_8).strip().equals(token);
            if (!same) write((token + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException | UncheckedIOException e) {
            throw new StartupRefusal("cannot write admin token " + file + ": " + e.getMessage(), e);
        }
        provisioned = source;
        hash = Tokens.hash(token);
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
        if (provisioned != null) {
            throw DomainException.conflict(
                    "admin_token_provisioned",
                    "the admin token is provisioned from " + provisioned + ": this daemon does not replace it",
                    "put a new token in that file (or secret) and restart each replica: authrelay admin-token"
                            + " generate FILE");
        }
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
