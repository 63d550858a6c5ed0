package io.authrelay.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JVM options a daemon runs with, wherever it is started from: {@code bin/authrelay server} (its
 * {@code daemon_flags}, which must match {@link #MEMORY}: DaemonJvmTest checks) and a daemon the MCP server starts
 * without the launcher.
 *
 * <p>Memory bounds, sized for the work (docs/benchmarks.md, "Daemon memory" and "Issue 14: daemon memory"): the live
 * heap is about 15 MiB idle and 20-45 MiB with 10,000 pending logins. A 128 MiB cap leaves three times that for the
 * poll path's and the vend path's garbage; with 256 MiB the polling grew the heap to the cap, which only added RSS.
 * An initial heap of 16 MiB (instead of 1/64 of the machine) keeps an idle daemon from committing memory it never
 * uses. Metaspace (about 31 MiB in use), the code cache and thread stacks are bounded too. {@code
 * AUTHRELAY_JAVA_OPTS} comes after these, so {@code AUTHRELAY_JAVA_OPTS=-Xmx512m} raises the cap.
 */
final class DaemonJvm {
    static final List<String> MEMORY =
            List.of("-Xms16m", "-Xmx128m", "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=64m", "-Xss512k");

    /**
     * JDK 22+ (a product option from then on): freed native memory (class loading, the JIT, startup's buffers) goes
     * back to the OS every 10 s instead of staying in glibc's arenas, about 20 MiB of an idle daemon's RSS.
     */
    static final String TRIM_NATIVE_HEAP = "-XX:TrimNativeHeapInterval=10000";

    /** The option names {@link #MEMORY} sets: this JVM's own values for them are not handed on to a daemon. */
    private static final List<String> MEMORY_OPTION_NAMES =
            List.of("-Xms", "-Xmx", "-Xss", "-XX:MaxMetaspaceSize=", "-XX:ReservedCodeCacheSize=");

    private DaemonJvm() {}

    /**
     * How to start `authrelay` as a daemon from this JVM when there is no launcher: this JVM's executable, the
     * daemon's options, this JVM's other options (less agents, the short-command JIT limit a daemon must not have, and
     * its own memory sizes), then {@code AUTHRELAY_JAVA_OPTS} as the launcher would add them.
     */
    static List<String> command(
            String java, List<String> thisJvmOptions, Map<String, String> env, String classPath, String mainClass) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-XX:+UseSerialGC");
        command.addAll(MEMORY);
        if (Runtime.version().feature() >= 22) command.add(TRIM_NATIVE_HEAP);
        for (String option : thisJvmOptions) {
            if (option.startsWith("-agentlib") || option.startsWith("-javaagent")) continue;
            if (option.startsWith("-XX:TieredStopAtLevel")) continue;
            if (MEMORY_OPTION_NAMES.stream().anyMatch(option::startsWith)) continue;
            if (option.matches("-XX:[+-]Use\\w*GC")) continue; // a second collector would not start

            command.add(option);
        }
        String extra = env.getOrDefault("AUTHRELAY_JAVA_OPTS", "").strip();
        if (!extra.isEmpty()) command.addAll(List.of(extra.split("\\s+")));
        command.addAll(List.of("-cp", classPath, mainClass));
        return command;
    }
}
