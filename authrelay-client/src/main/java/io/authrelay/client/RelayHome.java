package io.authrelay.client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The private directory (0700, under the system's temporary directory) where {@code exec --relay} writes the files a
 * relayed CLI reads its endpoint and credential from (codex's {@code CODEX_HOME}), one subdirectory per provider, for
 * one run: {@link #remove} removes it with whatever the CLI left there, so no workspace token outlives the run on disk.
 * Nothing is created until a provider has files.
 */
final class RelayHome {
    private Path dir;

    /** Where {@code provider}'s files go: {@code {{relay_home}}}. Creates the run's directory at the first call. */
    Path of(String provider) throws IOException {
        // the user's --provider names one directory inside the run's, never a way out of it
        String problem = provider.contains("/") ? "contains a '/'" : DeliveryPath.problem(provider);
        if (problem != null) throw new IOException("provider name '" + ErrorMessages.clean(provider) + "' " + problem);
        if (dir == null) {
            dir = Files.createTempDirectory(
                    "authrelay-relay-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return dir.resolve(provider);
    }

    /** Writes {@code files} under {@link #of}{@code (provider)}, as materialize writes a home ({@link HomeWriter}). */
    void write(String provider, List<Delivery.File> files) throws IOException {
        new HomeWriter(of(provider)).write(files);
    }

    /** Removes the directory and everything in it (links are removed, never followed); says so on err when it cannot. */
    void remove(PrintStream err) {
        if (dir == null) return;
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            err.println(ErrorMessages.PREFIX + "exec: could not remove " + dir + ", which holds the workspace token: "
                    + ErrorMessages.clean(e.getMessage()));
        }
    }
}
