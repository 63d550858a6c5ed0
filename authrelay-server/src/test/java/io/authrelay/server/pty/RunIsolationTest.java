package io.authrelay.server.pty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.server.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a run sees of the machine, and what it leaves behind; plain programs stand in for the CLIs. */
class RunIsolationTest {
    // PWD: bwrap sets it to the directory it starts the command in, the run's home
    private static final Set<String> ALLOWED =
            Set.of("PATH", "LANG", "LC_ALL", "TERM", "TZ", "HOME", "BROWSER", "GIVEN_BY_SPEC", "PWD");
    private final CliRunner runner = Runners.shared();
    private final Path runsDir = Runners.runsDir("isolation");

    private RunSpec.Builder sh(String script) {
        return RunSpec.builder(Path.of("/bin/sh"), runsDir).args(List.of("-c", script));
    }

    private static RunEnd finished(RunHandle run) throws InterruptedException {
        return run.awaitEnd(Duration.ofSeconds(60)).orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theEnvironmentHoldsOnlyAllowListedVariables(boolean pty) throws Exception {
        RecordingListener events = new RecordingListener();
        RunHandle run = runner.start(
                RunSpec.builder(Path.of("/usr/bin/env"), runsDir)
                        .pty(pty)
                        .env("GIVEN_BY_SPEC", "${HOME}/x")
                        .build(),
                events);
        RunEnd end = finished(run);

        assertThat(end.exitCode()).isZero();
        Set<String> names = events.lines.stream()
                .filter(l -> l.matches("[A-Za-z_][A-Za-z0-9_]*=.*"))
                .map(l -> l.substring(0, l.indexOf('=')))
                .collect(Collectors.toSet());
        assertThat(names).contains("HOME", "PATH", "GIVEN_BY_SPEC").isSubsetOf(ALLOWED);
        assertThat(System.getenv().keySet())
                .as("the test JVM has variables that must not pass")
                .isNotEmpty()
                .anyMatch(name -> !ALLOWED.contains(name));
        assertThat(events.lines).contains("HOME=" + run.home(), "GIVEN_BY_SPEC=" + run.home() + "/x");
        assertThat(events.lines)
                .anyMatch(l -> l.startsWith("PATH=" + run.home().getParent().resolve("bin") + ":"));
        Leftovers.assertNone(run);
    }

    @Test
    void theHomeIsPrivateAndHoldsTheSpecsFiles() throws Exception {
        RecordingListener events = new RecordingListener();
        RunHandle run = runner.start(
                sh("stat -c '%a %n' \"$HOME\" \"$HOME/.cfg\" \"$HOME/.cfg/settings.json\"; cat \"$HOME/.cfg/settings.json\"")
                        .file(".cfg/settings.json", "{\"written\":true}")
                        .build(),
                events);
        finished(run);

        assertThat(events.lines)
                .containsExactly(
                        "700 " + run.home(),
                        "700 " + run.home() + "/.cfg",
                        "600 " + run.home() + "/.cfg/settings.json",
                        "{\"written\":true}");
        Leftovers.assertNone(run);
    }

    @Test
    void theSandboxHidesTheDaemonsHomeAndKeepsTheRunsHomeWritable() throws Exception {
        ExternalTool.require("bwrap");
        Path daemonHome =
                Files.createDirectories(Path.of("target", "fake-daemon-home").toAbsolutePath());
        Path keyset = daemonHome.resolve("keyset.json");
        Files.writeString(keyset, "the-daemon-keyset\n");
        String script = "cat '" + keyset + "'; echo written > \"$HOME/probe\" && cat \"$HOME/probe\"; "
                + "touch /usr/authrelay-probe 2>/dev/null || echo read-only-root";

        RecordingListener sandboxed = new RecordingListener();
        RunHandle run = runner.start(
                sh(script).daemonHome(daemonHome).sandbox(SandboxMode.BWRAP).build(), sandboxed);
        finished(run);
        assertThat(run.sandboxed()).isTrue();
        assertThat(run.notSandboxedReason()).isEmpty();
        assertThat(sandboxed.lines).noneMatch(l -> l.contains("the-daemon-keyset"));
        assertThat(sandboxed.lines).contains("written", "read-only-root");

        // the same without a sandbox reads it: the check above can fail
        RecordingListener open = new RecordingListener();
        RunHandle unsandboxed = runner.start(
                sh(script).daemonHome(daemonHome).sandbox(SandboxMode.NONE).build(), open);
        finished(unsandboxed);
        assertThat(unsandboxed.sandboxed()).isFalse();
        assertThat(unsandboxed.notSandboxedReason()).contains("sandbox mode none");
        assertThat(open.lines).contains("the-daemon-keyset");
        Leftovers.assertNone(run);
        Leftovers.assertNone(unsandboxed);
    }

    @Test
    void aSandboxedRunHasItsOwnTmpAndPidNamespace() throws Exception {
        ExternalTool.require("bwrap");
        Path marker = Files.createTempFile("authrelay-visible", ".txt");
        RecordingListener events = new RecordingListener();
        RunHandle run = runner.start(
                sh("ls /tmp | grep -c authrelay-visible; echo pid=$$")
                        .sandbox(SandboxMode.BWRAP)
                        .build(),
                events);
        finished(run);
        Files.delete(marker);
        // java.io.tmpdir is under target/ in tests; /tmp itself is a fresh tmpfs in the sandbox
        assertThat(events.lines).contains("0");
        assertThat(events.lines).anyMatch(l -> l.matches("pid=[0-9]"));
    }

    @Test
    void theTimeoutKillsTheWholeTreeIncludingProcessesThatLeftTheSession() throws Exception {
        RecordingListener events = new RecordingListener();
        RunHandle run = runner.start(
                sh("sleep 300 & setsid sleep 301 & (trap '' TERM; sleep 302) & echo started; wait")
                        .sandbox(SandboxMode.NONE)
                        .timeout(Duration.ofSeconds(2))
                        .build(),
                events);
        events.awaitLine("started");
        assertThat(Leftovers.processesIn(run.home().getParent())).hasSizeGreaterThanOrEqualTo(4);

        RunEnd end = finished(run);
        assertThat(end.timedOut()).isTrue();
        assertThat(end.cancelled()).isFalse();
        Leftovers.assertNone(run);
    }

    @Test
    void cancelKillsASandboxedTree() throws Exception {
        ExternalTool.require("bwrap");
        RecordingListener events = new RecordingListener();
        RunHandle run = runner.start(
                sh("sleep 300 & setsid sleep 301 & echo started; wait")
                        .pty(true)
                        .build(),
                events);
        events.awaitLine("started");
        assertThat(run.sandboxed()).isTrue();
        run.cancel();
        RunEnd end = finished(run);
        assertThat(end.cancelled()).isTrue();
        Leftovers.assertNone(run);
    }

    @Test
    void endedSeesTheHomeWhichIsWipedRightAfter() throws Exception {
        AtomicReference<Path> home = new AtomicReference<>();
        AtomicReference<String> seen = new AtomicReference<>();
        RecordingListener events = new RecordingListener().atEnd(end -> {
            try {
                seen.set(Files.readString(home.get().resolve("credential.json")));
            } catch (java.io.IOException e) {
                seen.set(e.toString());
            }
        });
        RunHandle run = runner.start(
                sh("echo token-in-file > \"$HOME/credential.json\"; sleep 300")
                        .completionFile("credential.json")
                        .build(),
                events);
        home.set(run.home());
        RunEnd end = finished(run);

        assertThat(end.successSeen()).as("the completion file ends the run").isTrue();
        assertThat(end.timedOut()).isFalse();
        assertThat(seen.get()).isEqualTo("token-in-file\n");
        Leftovers.assertNone(run);
    }

    @Test
    void answersAPromptWithoutALineEnd() throws Exception {
        RecordingListener events = new RecordingListener();
        RunHandle run = runner.start(
                sh("printf 'Continue? [y/N] '; read answer; echo \"got $answer\"")
                        .answer(PromptAnswer.of("Continue\\? \\[y/N\\]", "y\n"))
                        .build(),
                events);
        finished(run);
        assertThat(events.lines).containsExactly("Continue? [y/N] got y");
    }

    @Test
    void aSecretIsNeverTypedIntoAPtyWhichWouldEchoIt() throws Exception {
        RecordingListener events = new RecordingListener();
        RunHandle run = runner.start(sh("echo ready; cat").pty(true).build(), events);
        events.awaitLine("ready");
        assertThatThrownBy(() -> run.writeSecretAndClose("sk-secret")).isInstanceOf(IllegalStateException.class);
        run.cancel();
        finished(run);
        assertThat(events.lines).noneMatch(l -> l.contains("sk-secret"));
        Leftovers.assertNone(run);
    }

    @Test
    void wipeLeftoversRemovesACrashedRunAndItsProcesses() throws Exception {
        Path leftover = Files.createDirectories(runsDir.resolve("run-crashed").resolve("home"));
        Files.setPosixFilePermissions(leftover, PosixFilePermissions.fromString("r-x------"));
        Process stray =
                new ProcessBuilder("sleep", "300").directory(leftover.toFile()).start();

        CliRunner.wipeLeftovers(runsDir);

        assertThat(leftover.getParent()).doesNotExist();
        assertThat(stray.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aSpecRefusesFilesOutsideTheHomeAndRelativeCommands() {
        assertThatThrownBy(() -> sh("true").file("../escape", "x").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sh("true").file("/etc/passwd", "x").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RunSpec.builder(Path.of("sh"), runsDir).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sh("true").exclusiveLock("../x").build()).isInstanceOf(IllegalArgumentException.class);
    }
}
