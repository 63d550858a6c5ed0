package io.authrelay.server.testing;

import io.authrelay.server.ExternalTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;

/**
 * A real unprivileged account of this machine that a test runs processes as, so that file permissions and a second
 * local user are tested for real (as root every permission check passes). `.ci/run` creates {@link #OWNER} and
 * {@link #INTRUDER}; elsewhere such tests skip (and fail under CI=true, like any missing tool).
 */
public record LocalUser(String name, int uid, int gid) {
    /** Runs the daemon and its admin's CLI. */
    public static final String OWNER = "authrelay-owner";
    /** Another local user: tries to read, connect to and impersonate the owner's daemon. */
    public static final String INTRUDER = "authrelay-intruder";

    public static LocalUser require(String name) {
        ExternalTool.require("setpriv");
        if (!"root".equals(System.getProperty("user.name"))) {
            ExternalTool.missing("tests that switch users must run as root (CI does): not running as root");
        }
        try {
            Process id = new ProcessBuilder("id", "-u", name).start();
            String uid = new String(id.getInputStream().readAllBytes()).strip();
            Process gidProcess = new ProcessBuilder("id", "-g", name).start();
            String gid = new String(gidProcess.getInputStream().readAllBytes()).strip();
            if (id.waitFor() != 0 || gidProcess.waitFor() != 0 || uid.isEmpty()) {
                ExternalTool.missing(
                        "user " + name + " does not exist: create it as .ci/run does (useradd -m " + name + ")");
            }
            return new LocalUser(name, Integer.parseInt(uid), Integer.parseInt(gid));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code command} run as this user, with the environment the caller gives it and nothing of root's identity. */
    public List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(
                List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups", "--inh-caps=-all", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Gives {@code path} to this user. */
    public Path own(Path path) {
        try {
            UserPrincipal principal =
                    path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
            Files.setOwner(path, principal);
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
