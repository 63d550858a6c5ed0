package io.authrelay.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a standard stream is a terminal (Java 21's Console cannot say so for one stream). */
final class Terminal {
    private Terminal() {}

    /** @param fd 0, 1 or 2 */
    static boolean isInteractive(int fd) {
        try {
            String target =
                    Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }
}
