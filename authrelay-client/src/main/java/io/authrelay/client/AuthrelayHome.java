package io.authrelay.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The daemon's home directory, resolved the same way by the daemon, the CLI, the MCP server and the helpers:
 * {@code --home}, then {@code $AUTHRELAY_HOME}, then {@code $HOME/.authrelay}, then the password database's home
 * ({@code user.home}). It holds the admin token and the socket through which only this home's daemon is reached.
 */
public record AuthrelayHome(Path dir) {
    public static final String ADMIN_TOKEN = "admin.token";
    public static final String SOCKET = "daemon.sock";
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    public AuthrelayHome {
        dir = dir.toAbsolutePath().normalize();
    }

    /** @param explicit {@code --home}, or null */
    public static AuthrelayHome resolve(Path explicit, Map<String, String> env) {
        if (explicit != null) return new AuthrelayHome(explicit);
        String fromEnv = nonBlank(env.get("AUTHRELAY_HOME"));
        if (fromEnv != null) return new AuthrelayHome(Path.of(fromEnv));
        String home = nonBlank(env.get("HOME"));
        if (home == null) home = System.getProperty("user.home");
        return new AuthrelayHome(Path.of(home, ".authrelay"));
    }

    public Path adminToken() {
        return dir.resolve(ADMIN_TOKEN);
    }

    public Path socket() {
        return dir.resolve(SOCKET);
    }

    /** The admin token, or null when this user cannot read one (no daemon yet, or another user's home). */
    public String readAdminToken() {
        try {
            String token =
                    Files.readString(adminToken(), StandardCharsets.UTF_8).strip();
            return token.isEmpty() ? null : token;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /**
     * Why this home cannot be trusted with the admin token, or null when it can: the directory and the socket in it
     * must belong to the user running this process, and the directory must be closed to everyone else, so nobody
     * else can have put a listener there.
     */
    public String untrustedReason() {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return null; // no daemon yet: connecting says so
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return dir + " is not a directory";
            if (!ownedByMe(dir)) return dir + " belongs to another user";
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (perms.stream().anyMatch(GROUP_OR_OTHER::contains))
                return dir + " is open to other users (run chmod 700 " + dir + ")";
            if (Files.exists(socket(), LinkOption.NOFOLLOW_LINKS) && !ownedByMe(socket())) {
                return socket() + " belongs to another user";
            }
            return null;
        } catch (UnsupportedOperationException e) {
            return null; // not a POSIX file system: ownership cannot be read, the OS guards the directory
        } catch (IOException e) {
            return "cannot inspect " + dir + " (" + e.getClass().getSimpleName() + ")";
        }
    }

    private static boolean ownedByMe(Path path) throws IOException {
        Object owner = Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        return owner.equals(myUid());
    }

    /** The effective uid of this process, read from /proc/self (owned by it); on other systems, from a file we create. */
    private static Object myUid() throws IOException {
        Path proc = Path.of("/proc/self");
        if (Files.exists(proc)) return Files.getAttribute(proc, "unix:uid");
        Path probe = Files.createTempFile("authrelay-uid", ".probe");
        try {
            return Files.getAttribute(probe, "unix:uid");
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
