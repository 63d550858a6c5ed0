package io.authrelay.server.home;

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
    public static final String ADMIN_TOKEN = "admin.token";

    /** {@code --home}, else {@code $AUTHRELAY_HOME}, else {@code ~/.authrelay}; the keyset may be mounted elsewhere via {@code AUTHRELAY_KEYSET}. */
    public static DaemonHome resolve(Path explicitHome, Map<String, String> env) {
        Path dir = explicitHome != null
                ? explicitHome
                : env.get("AUTHRELAY_HOME") != null
                                && !env.get("AUTHRELAY_HOME").isBlank()
                        ? Path.of(env.get("AUTHRELAY_HOME"))
                        : Path.of(System.getProperty("user.home"), ".authrelay");
        dir = dir.toAbsolutePath().normalize();
        String keyset = env.get("AUTHRELAY_KEYSET");
        Path keysetFile = keyset != null && !keyset.isBlank() ? Path.of(keyset).toAbsolutePath() : dir.resolve(KEYSET);
        return new DaemonHome(dir, keysetFile);
    }

    public Path database() {
        return dir.resolve(DATABASE);
    }

    public Path adminToken() {
        return dir.resolve(ADMIN_TOKEN);
    }

    public boolean keysetIsExternal() {
        return !keysetFile.getParent().equals(dir);
    }

    /** Creates the home 0700 if absent and proves it is writable, before anything else touches it. */
    public void prepare() {
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PrivateFiles.OWNER_RWX));
            }
            if (!Files.isDirectory(dir)) throw new StartupRefusal("home " + dir + " is not a directory");
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
        for (Path file : new Path[] {database(), adminToken(), keysetFile}) {
            if (Files.exists(file))
                PrivateFiles.requireOwnerOnly(file, file.getFileName().toString());
        }
    }
}
