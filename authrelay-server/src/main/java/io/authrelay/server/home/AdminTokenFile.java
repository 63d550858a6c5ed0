package io.authrelay.server.home;

import io.authrelay.core.redaction.SecretRedactor;
import io.authrelay.core.token.Tokens;
import io.authrelay.server.StartupRefusal;
import io.authrelay.server.sql.SqlAdminCredential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin token lives in a 0600 file for the local CLI to read; the database keeps only its hash.
 * A missing file is re-issued (the home's owner is the admin anyway); a file that does not match the
 * stored hash was replaced by someone, so the daemon refuses rather than trust it.
 */
public final class AdminTokenFile {
    private static final Logger log = LoggerFactory.getLogger(AdminTokenFile.class);

    private AdminTokenFile() {}

    /** @return the hash the daemon authenticates admins against */
    public static String ensure(DaemonHome home, SqlAdminCredential stored, Clock clock) {
        Path file = home.adminToken();
        try {
            var hash = stored.tokenHash();
            if (hash.isPresent() && Files.exists(file)) {
                String token = Files.readString(file, StandardCharsets.UTF_8).trim();
                SecretRedactor.register(token);
                if (!Tokens.matches(token, hash.get())) {
                    throw new StartupRefusal("admin token " + file + " does not match this database:"
                            + " delete it and restart to issue a new one");
                }
                return hash.get();
            }
            if (hash.isPresent()) log.warn("admin token file {} was missing; issuing a new admin token", file);
            String token = Tokens.generate(Tokens.ADMIN_PREFIX);
            SecretRedactor.register(token);
            PrivateFiles.writeAtomically(file, (token + "\n").getBytes(StandardCharsets.UTF_8));
            String newHash = Tokens.hash(token);
            stored.replace(newHash, clock.instant());
            return newHash;
        } catch (IOException e) {
            throw new StartupRefusal("cannot read or write admin token " + file + ": " + e.getMessage(), e);
        }
    }
}
