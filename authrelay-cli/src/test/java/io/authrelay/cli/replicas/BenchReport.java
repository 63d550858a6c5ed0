package io.authrelay.cli.replicas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A test's measurement: printed, and appended to {@code -Dauthrelay.bench.report=FILE} for bench/replicas.sh. */
final class BenchReport {
    private BenchReport() {}

    static void write(String line) {
        System.out.println(line);
        String file = System.getProperty("authrelay.bench.report");
        if (file == null || file.isBlank()) return;
        try {
            Files.writeString(
                    Path.of(file),
                    line + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
