package io.authrelay.server.home;

import io.authrelay.client.AuthrelayHome;
import io.authrelay.server.StartupRefusal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/** The daemon's home directory and the well-known files in it. */
public record DaemonHome(Path dir, Path keysetFile) {
    public static final String DATABASE = "authrelay.db";
    public static final String KEYSET = "keyset.json";
    public static final String ADMIN_TOKEN = AuthrelayHome.ADMIN_TOKEN;

    /**
     * The home as every authrelay program finds it ({@link AuthrelayHome#resolve}); the keyset may be mounted elsewhere
     * via {@code AUTHRELAY_KEYSET}.
     */
    public static DaemonHome resolve(Path explicitHome, Map<String, String> env) {
        Path dir = AuthrelayHome.resolve(explicitHome, env).dir();
        String keyset = env.get("AUTHRELAY_KEYSET");
        Path keysetFile = keyset != null && !keyset.isBlank() ? Path.of(keyset).toAbsolutePath() : dir.resolve(KEYSET);
        return new DaemonHome(dir, keysetFile);
    }

    public Path database() {
        return dir.resolve(DATABASE);
    }

    public Path socket() {
        return dir.resolve(AuthrelayHome.SOCKET);
    }

    public Path adminToken() {
        return dir.resolve(ADMIN_TOKEN);
    }

    public boolean keysetIsExternal() {
        return !keysetFile.getParent().equals(dir);
    }

    /**
     * Creates the home 0700 if absent, refuses one this user does not own or others can enter (they could replace the
     * socket or read the admin token), and proves it is writable, before anything else touches it.
     */
    public void prepare() {
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PrivateFiles.OWNER_RWX));
            }
            if (!Files.isDirectory(dir)) throw new StartupRefusal("home " + dir + " is not a directory");
            String untrusted = new AuthrelayHome(dir).untrustedReason();
            if (untrusted != null) throw new StartupRefusal("refusing home " + dir + ": " + untrusted);
            Path probe = Files.createTempFile(
                    dir, ".write-probe", ".tmp", PosixFilePermissions.asFileAttribute(PrivateFiles.OWNER_RW));
            Files.delete(probe);
        } catch (StartupRefusal e) {
            throw e;
        } catch (IOException e) {
            throw new StartupRefusal(
                    "home " + dir + " is not writable (" + e.getClass().getSimpleName()
                            + "): fix its ownership or permissions, or choose another with --home",
                    e);
        }
        for (Path file : new Path[] {database(), adminToken(), keysetFile, dir.resolve(ProvidersFile.NAME)}) {
            if (Files.exists(file))
                PrivateFiles.requireOwnerOnly(file, file.getFileName().toString());
        }
    }
}
