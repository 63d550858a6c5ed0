package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A daemon gets the same memory bounds from the launcher and from the MCP server's fallback, and they can be raised. */
class DaemonJvmTest {
    private static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void theLauncherGivesServerTheSameMemoryBounds() throws IOException {
        String launcher = Files.readString(Path.of("..", "bin", "authrelay"));
        Matcher flags = Pattern.compile("(?m)^daemon_flags=\"([^\"]*)\"$").matcher(launcher);
        assertThat(flags.find()).as("daemon_flags in bin/authrelay").isTrue();
        assertThat(List.of(flags.group(1).split(" "))).isEqualTo(DaemonJvm.MEMORY);
        assertThat(launcher).contains("trim_flag=\"" + DaemonJvm.TRIM_NATIVE_HEAP + "\"");
    }

    @Test
    void theFallbackDropsThisJvmsOwnSizesAgentsJitLimitAndCollector() {
        List<String> command = DaemonJvm.command(
                JAVA,
                List.of(
                        "-Xmx1g",
                        "-Xss2m",
                        "-XX:TieredStopAtLevel=1",
                        "-javaagent:x.jar",
                        "-XX:+UseG1GC",
                        "--enable-native-access=ALL-UNNAMED"),
                Map.of(),
                "cp",
                "Main");
        assertThat(command).containsSubsequence(DaemonJvm.MEMORY).contains(DaemonJvm.TRIM_NATIVE_HEAP);
        assertThat(command)
                .contains("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC")
                .doesNotContain("-Xmx1g", "-Xss2m", "-XX:TieredStopAtLevel=1", "-javaagent:x.jar", "-XX:+UseG1GC")
                .endsWith("-cp", "cp", "Main");
    }

    @Test
    void theBoundsAreWhatTheJvmRunsWithAndAuthrelayJavaOptsOverridesThem() throws Exception {
        assertThat(maxHeapOf(Map.of())).isEqualTo(128L * 1024 * 1024);
        assertThat(maxHeapOf(Map.of("AUTHRELAY_JAVA_OPTS", " -Xmx512m "))).isEqualTo(512L * 1024 * 1024);
    }

    /** MaxHeapSize of a JVM started with the fallback's options. */
    private static long maxHeapOf(Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>(DaemonJvm.command(JAVA, List.of(), env, "unused", "Main"));
        command.subList(command.size() - 3, command.size()).clear();
        command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor()).as(out).isZero();
        Matcher heap = Pattern.compile("\\bMaxHeapSize\\s*=\\s*(\\d+)").matcher(out);
        assertThat(heap.find()).as(out).isTrue();
        return Long.parseLong(heap.group(1));
    }
}
