package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The package phase's rewrite of picocli's Java 5 class files (src/build/LinkableClassFiles.java), on a copy of the jar. */
class LinkableClassFilesTest {
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final Path TOOL = Path.of("src", "build", "LinkableClassFiles.java");

    @TempDir
    Path dir;

    private Path original;
    private Path jar;

    @BeforeEach
    void copyPicocli() throws Exception {
        assumeTrue(Runtime.version().feature() >= 24, "the rewrite runs on JDK 24+ only (the classfile API)");
        original = Path.of(CommandLine.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        jar = Files.copy(original, dir.resolve("picocli.jar"));
    }

    @Test
    void everyJava5ClassBecomesJava8AndEverythingElseStaysAsItWas() throws Exception {
        Map<String, byte[]> before = entries(original);
        assertThat(before.values()).anyMatch(bytes -> isClass(bytes) && major(bytes) == 49);

        assertThat(run(JAVA.toString(), TOOL.toString(), jar.toString()).exitCode())
                .isZero();

        Map<String, byte[]> after = entries(jar);
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        after.forEach((name, bytes) -> {
            if (name.endsWith(".class") && major(before.get(name)) == 49)
                assertThat(major(bytes)).as(name).isEqualTo(52);
            else assertThat(bytes).as(name).isEqualTo(before.get(name));
        });
    }

    @Test
    void theRewrittenPicocliParsesAndPrintsAsTheOriginalDoes() throws Exception {
        assertThat(run(JAVA.toString(), TOOL.toString(), jar.toString()).exitCode())
                .isZero();
        // AutoComplete is picocli's own command: its model, parser and usage help, loaded with the JVM's verifier
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"--no-such-option"})) {
            Result rewritten = picocli(jar, args);
            Result unchanged = picocli(original, args);
            assertThat(rewritten).isEqualTo(unchanged);
            assertThat(rewritten.output()).contains("Usage:");
        }
    }

    @Test
    void aSecondRunLeavesTheJarAlone() throws Exception {
        assertThat(run(JAVA.toString(), TOOL.toString(), jar.toString()).exitCode())
                .isZero();
        byte[] once = Files.readAllBytes(jar);
        var modified = Files.getLastModifiedTime(jar);

        Result again = run(JAVA.toString(), TOOL.toString(), jar.toString());

        assertThat(again.exitCode()).isZero();
        assertThat(again.output()).isEmpty();
        assertThat(Files.readAllBytes(jar)).isEqualTo(once);
        assertThat(Files.getLastModifiedTime(jar)).isEqualTo(modified);
    }

    @Test
    void aJarItCannotRewriteFailsTheBuildAndStaysAsItWas() throws Exception {
        Path broken = dir.resolve("broken.jar");
        try (var out = new ZipOutputStream(Files.newOutputStream(broken))) {
            out.putNextEntry(new ZipEntry("Broken.class"));
            out.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 49, 0});
            out.closeEntry();
        }
        byte[] before = Files.readAllBytes(broken);

        assertThat(run(JAVA.toString(), TOOL.toString(), broken.toString()).exitCode())
                .isNotZero();

        assertThat(Files.readAllBytes(broken)).isEqualTo(before);
        try (var left = Files.list(dir)) {
            assertThat(left.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("picocli.jar", "broken.jar");
        }
    }

    private static Result picocli(Path jar, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-cp", jar.toString(), "picocli.AutoComplete"));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    private record Result(int exitCode, String output) {}

    private static Result run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }

    private static Map<String, byte[]> entries(Path jar) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (var in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) entries.put(entry.getName(), in.readAllBytes());
        }
        return entries;
    }

    private static boolean isClass(byte[] bytes) {
        return bytes.length > 8 && (bytes[0] & 0xFF) == 0xCA && (bytes[1] & 0xFF) == 0xFE;
    }

    private static int major(byte[] bytes) {
        return ((bytes[6] & 0xFF) << 8) | (bytes[7] & 0xFF);
    }
}
