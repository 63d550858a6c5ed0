package io.authrelay.cli;

import io.authrelay.server.ExternalTool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The sh helper as /v1/helper.sh serves it, and the tools a workspace may have around it. */
final class ShHelper {
    private ShHelper() {}

    /** The helper script, written into {@code dir}. */
    static Path script(Path dir) throws IOException {
        try (InputStream in = ShHelper.class.getResourceAsStream("/io/authrelay/server/http/helper.sh")) {
            return Files.writeString(dir.resolve("helper.sh"), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** BusyBox, which the test needs (it fails under CI=true without it). */
    static String busybox() {
        return ExternalTool.require("busybox").toString();
    }

    /**
     * A directory of links to every BusyBox applet but {@code without}: as PATH, the tools of an Alpine sandbox (no
     * curl, BusyBox's own wget and nc).
     */
    static Path busyboxOnly(Path dir, String... without) throws IOException, InterruptedException {
        String busybox = busybox();
        Process list =
                new ProcessBuilder(busybox, "--list").redirectErrorStream(true).start();
        List<String> applets = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .filter(a -> !a.isBlank() && !Set.of(without).contains(a))
                .toList();
        if (list.waitFor() != 0) throw new IOException("busybox --list failed");
        Path tools = Files.createDirectories(dir);
        for (String applet : applets) Files.createSymbolicLink(tools.resolve(applet), Path.of(busybox));
        return tools;
    }
}
