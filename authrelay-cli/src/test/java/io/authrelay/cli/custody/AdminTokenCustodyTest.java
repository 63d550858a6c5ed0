package io.authrelay.cli.custody;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.cli.ExitCodes;
import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.LocalUser;
import io.authrelay.server.testing.TestBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The home's admin token goes only to this home's daemon. The daemon and its admin run as one real local user, and
 * another real local user tries to get the token: by listening on the daemon's port while it is down, by planting a
 * home, and by reading the owner's files and socket.
 */
class AdminTokenCustodyTest {
    private final LocalUser owner = LocalUser.require(LocalUser.OWNER);
    private final LocalUser intruder = LocalUser.require(LocalUser.INTRUDER);

    @RegisterExtension
    final TestBroker broker = TestBroker.process().runningAs(owner);

    private final List<Process> impostors = new ArrayList<>();

    @AfterEach
    void stopImpostors() {
        impostors.forEach(Process::destroyForcibly);
    }

    /** Starts an impostor as the intruder and returns the log where it writes what it received. */
    private Path impostor(String kind, String where) throws IOException {
        Path dir = intruder.own(Files.createDirectories(broker.dir().resolve("intruder-" + impostors.size())));
        Path log = dir.resolve("received.log");
        Process process = Cli.java(intruder, Impostor.class.getName(), Map.of(), List.of(kind, where, log.toString()))
                .redirectErrorStream(true)
                .start();
        impostors.add(process);
        String first =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(first).as("the impostor started").isEqualTo("listening");
        return log;
    }

    private CliRun asOwner(Map<String, String> env, String... args) {
        Map<String, String> withHome = new HashMap<>(env);
        withHome.put("HOME", broker.dir().resolve("user-home").toString());
        return Cli.run(owner, withHome, null, args);
    }

    @Test
    void aListenerOnTheDaemonsPortNeverReceivesTheAdminToken() throws Exception {
        String admin = broker.adminToken();
        assertThat(broker.cli("status").exit()).isZero();
        broker.terminate();
        Path received = impostor("tcp", Integer.toString(broker.port()));

        for (String[] command : List.of(
                new String[] {"status"},
                new String[] {"token", "anything"},
                new String[] {"provider", "list"},
                new String[] {"keys", "rotate"})) {
            CliRun run = broker.cli(command);
            assertThat(run.exit()).as(String.join(" ", command) + ": " + run).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(run.err()).contains("no authrelay daemon serves " + broker.home());
        }
        CliRun doctor = broker.cli("doctor");
        assertThat(doctor.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(Files.readString(received)).doesNotContain(admin).doesNotContain("ara_");

        // The control: a token given explicitly is sent as asked, and the impostor does record what it receives.
        Map<String, String> explicit = new HashMap<>(broker.cliEnv());
        explicit.put("AUTHRELAY_TOKEN", "ara_explicitly_given_by_the_user_000000000");
        asOwner(explicit, "status");
        assertThat(Files.readString(received)).contains("Bearer ara_explicitly_given_by_the_user_000000000");
    }

    @Test
    void mcpAutoStartDoesNotTrustAListenerOnThePort() throws Exception {
        String admin = broker.adminToken();
        broker.terminate();
        Path received = impostor("tcp", Integer.toString(broker.port()));
        Map<String, String> env = new HashMap<>(broker.cliEnv());
        env.put("AUTHRELAY_AUTOSTART", "1");
        McpCall call = McpCall.as(owner, env, "auth_status");
        assertThat(call.isError()).as(call.text()).isTrue();
        assertThat(call.text()).contains("in use");
        assertThat(Files.readString(received)).doesNotContain(admin).doesNotContain("ara_");
    }

    @Test
    void aHomePlantedByAnotherUserIsRefusedByTheClientAndTheDaemon() throws Exception {
        Path planted = intruder.own(Files.createDirectories(broker.dir().resolve("planted")));
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path fakeToken = Files.writeString(planted.resolve("admin.token"), "ara_planted_by_the_intruder_0123456789\n");
        intruder.own(fakeToken);
        Files.setPosixFilePermissions(fakeToken, PosixFilePermissions.fromString("rw-r--r--"));
        Path received = impostor("unix", planted.resolve("daemon.sock").toString());

        CliRun status = asOwner(Map.of("AUTHRELAY_HOME", planted.toString()), "status");
        assertThat(status.exit()).isNotZero();
        assertThat(status.err()).contains("belongs to another user");
        assertThat(Files.readString(received)).isEmpty();

        CliRun server = asOwner(Map.of(), "server", "--home=" + planted, "--listen=127.0.0.1:" + TestBroker.freePort());
        assertThat(server.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(server.err()).contains("refusing home", "belongs to another user");
    }

    @Test
    void anotherUserCanReadNoneOfTheHomeAndCannotUseItsSocket() throws Exception {
        String admin = broker.adminToken();
        for (String file : List.of("admin.token", "keyset.json", "authrelay.db", "daemon.sock")) {
            Path path = broker.home().resolve(file);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
                    .as(file)
                    .isEqualTo("rw-------");
            Process cat = new ProcessBuilder(intruder.wrap(List.of("cat", path.toString())))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(cat.waitFor()).as(file).isNotZero();
            assertThat(out).contains("Permission denied").doesNotContain(admin);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(broker.home())))
                .isEqualTo("rwx------");

        CliRun asIntruder = Cli.run(intruder, broker.cliEnv(), null, "status");
        assertThat(asIntruder.exit()).isNotZero();
        assertThat(asIntruder.out()).doesNotContain("providers");

        Map<String, String> guessing = new HashMap<>(broker.cliEnv());
        guessing.put("AUTHRELAY_TOKEN", "ara_" + "x".repeat(43));
        assertThat(Cli.run(intruder, guessing, null, "status").exit()).isEqualTo(ExitCodes.AUTH);
        assertThat(broker.cli("status").exit()).as("the owner is unaffected").isZero();
    }
}
