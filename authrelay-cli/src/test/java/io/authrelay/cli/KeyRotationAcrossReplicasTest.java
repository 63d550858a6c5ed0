package io.authrelay.cli;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.Reply;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.server.testing.TestReplicas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Two real `authrelay server` processes on one PostgreSQL database, each with its own copy of the keyset
 * (AUTHRELAY_KEYSET), rotated in the two phases docs/deploy.md describes: `keys add` on a copy, given to A then B;
 * `keys promote`, given to both, then `keys reseal`. Every credential is served by both replicas throughout; a replica
 * that skipped phase 1 fails only the rows it cannot read, with a clear error, and loses nothing.
 */
class KeyRotationAcrossReplicasTest {
    @RegisterExtension
    final TestReplicas replicas = TestReplicas.of(2).withKeysetPerReplica();

    private TestBroker a;
    private TestBroker b;
    private Path keysetA;
    private Path keysetB;

    /** provider name → the secret each replica must vend for it */
    private final Map<String, String> secrets = new LinkedHashMap<>();

    private String workspace;

    @BeforeEach
    void twoReplicasServeThreeCredentials() {
        a = replicas.replica(0);
        b = replicas.replica(1);
        keysetA = replicas.keysetOf(0);
        keysetB = replicas.keysetOf(1);
        List<String> grants = new java.util.ArrayList<>();
        for (String name : List.of("forge", "wiki", "ci")) {
            a.addStaticProvider(name, name + ".corp.test", name + "-secret-v1");
            secrets.put(name, name + "-secret-v1");
            grants.add(name);
        }
        workspace = a.createWorkspace("agents", grants.toArray(String[]::new));
        bothServeEverything();
    }

    @Test
    void addPromoteResealMovesEveryRowToTheNewKeyWhileBothReplicasServeEveryCredential() throws IOException {
        long oldPrimary = primary(a);
        Path staging = copyOf(keysetA, "staging.json");

        // Phase 1: the new key, not primary, to A then B.
        CliRun added = Cli.run(Map.of(), null, "keys", "add", "--keyset", staging.toString());
        assertThat(added.exit()).as(added.toString()).isZero();
        long newKey = Long.parseLong(added.out().strip());
        assertThat(added.out().strip()).matches("\\d+"); // the id alone: no key material
        roll(a, staging, keysetA);
        bothServeEverything();
        roll(b, staging, keysetB);
        bothServeEverything();
        assertThat(primary(a)).isEqualTo(oldPrimary);

        // Phase 2: promoted in both, then the rows move.
        CliRun promoted =
                Cli.run(Map.of(), null, "keys", "promote", Long.toString(newKey), "--keyset", staging.toString());
        assertThat(promoted.exit()).as(promoted.toString()).isZero();
        roll(a, staging, keysetA);
        // A seals under the new key now; B, still on phase 1's keyset, reads it.
        rewrite(a, "wiki", "wiki-secret-v2");
        bothServeEverything();
        roll(b, staging, keysetB);
        bothServeEverything();

        CliRun reseal = a.cli("keys", "reseal", "--json");
        assertThat(reseal.exit()).as(reseal.toString()).isZero();
        JsonNode keys = expect(200, b.send("GET", "/v1/keys", null)).json().path("keys");
        for (JsonNode key : keys) {
            long id = key.path("key").path("id").asLong();
            assertThat(key.path("key").path("primary").asBoolean()).isEqualTo(id == newKey);
            if (id != newKey)
                assertThat(key.path("secrets").asLong())
                        .as("rows under old key " + id)
                        .isZero();
            else assertThat(key.path("secrets").asLong()).isPositive();
        }
        bothServeEverything();
        // A restart on PostgreSQL re-seals nothing by itself, and a second reseal finds nothing to do.
        b.restart();
        assertThat(expect(200, b.send("POST", "/v1/keys/reseal", "{}"))
                        .json()
                        .path("resealed")
                        .asInt())
                .isZero();
        bothServeEverything();
    }

    @Test
    void aReplicaThatSkippedPhaseOneFailsOnlyTheRowsItCannotReadAndLosesNothing() throws IOException {
        Path staging = copyOf(keysetA, "staging.json");
        long newKey = Long.parseLong(Cli.run(Map.of(), null, "keys", "add", "--keyset", staging.toString())
                .out()
                .strip());
        assertThat(Cli.run(Map.of(), null, "keys", "promote", Long.toString(newKey), "--keyset", staging.toString())
                        .exit())
                .isZero();
        roll(a, staging, keysetA); // A jumps straight to the promoted keyset; B never got phase 1's
        rewrite(a, "wiki", "wiki-secret-v2");

        Reply refused = b.vend(workspace, "wiki.corp.test", null);
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.errorCode()).isEqualTo("keyset_behind");
        assertThat(refused.json().path("error").path("message").asString())
                .contains("sealed under key " + newKey)
                .contains("keyset is behind");
        Reply readiness = b.send("GET", "/readyz", null, null);
        assertThat(readiness.status()).isEqualTo(503);
        assertThat(readiness.body()).contains("\"keyset\"");
        // Rows under the old key still serve from B, and the new row is intact for A.
        assertThat(password(b, "forge")).isEqualTo("forge-secret-v1");
        assertThat(password(a, "wiki")).isEqualTo("wiki-secret-v2");
        // Reseal from the replica that is behind is refused; from A it works.
        assertThat(b.send("POST", "/v1/keys/reseal", "{}").errorCode()).isEqualTo("keyset_behind");
        // From A it waits while B, alive, still seals under the old primary: what B writes would stay under it.
        Reply early = a.send("POST", "/v1/keys/reseal", "{}");
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.errorCode()).isEqualTo("replicas_on_another_key");
        b.terminate();
        expect(200, a.send("POST", "/v1/keys/reseal", "{}"));

        // B restarted on its old keyset (none of whose keys the resealed rows use now) refuses to start in one line;
        // with the promoted keyset it serves everything.
        assertThatThrownBy(b::start)
                .hasMessageContaining("refusing to start: keyset " + keysetB + " cannot decrypt")
                .hasMessageContaining("behind the other replicas' keyset");
        distribute(staging, keysetB);
        b.start();
        bothServeEverything();
    }

    @Test
    void keysRotateIsRefusedOnPostgresqlWithTheTwoPhaseHint() {
        Reply refused = a.send("POST", "/v1/keys/rotate", "{}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("rotation_needs_two_phases");
        assertThat(refused.json().path("error").path("hint").asString())
                .contains("keys add")
                .contains("keys promote");
        CliRun cli = a.cli("keys", "rotate");
        assertThat(cli.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(cli.err()).contains("two phases");
        bothServeEverything();
    }

    @Test
    void theOfflineEditsRefuseAnUnknownKeyAndAKeysetOthersCanRead() throws IOException {
        Path staging = copyOf(keysetA, "staging.json");
        String before = Files.readString(staging);
        CliRun unknown = Cli.run(Map.of(), null, "keys", "promote", "12345", "--keyset", staging.toString());
        assertThat(unknown.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.err()).contains("holds no key 12345");
        assertThat(Files.readString(staging)).isEqualTo(before);
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rw-r--r--"));
        CliRun open = Cli.run(Map.of(), null, "keys", "add", "--keyset", staging.toString());
        assertThat(open.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(open.err()).contains("chmod 600");
        assertThat(Files.readString(staging)).isEqualTo(before);
    }

    private void bothServeEverything() {
        for (TestBroker replica : List.of(a, b)) {
            secrets.forEach((provider, secret) -> assertThat(password(replica, provider))
                    .as(provider + " on " + replica.url())
                    .isEqualTo(secret));
        }
    }

    private String password(TestBroker replica, String provider) {
        return expect(200, replica.vend(workspace, provider + ".corp.test", null))
                .json()
                .path("password")
                .asString();
    }

    private void rewrite(TestBroker replica, String provider, String secret) {
        expect(200, replica.send("PUT", "/v1/credentials/" + provider, "{\"secret\":\"" + secret + "\"}"));
        secrets.put(provider, secret);
    }

    /** Gives a replica the keyset (as a new Secret mounted, owner-only) and restarts it. */
    private static void roll(TestBroker replica, Path keyset, Path replicaKeyset) {
        replica.terminate();
        distribute(keyset, replicaKeyset);
        replica.start();
    }

    private static long primary(TestBroker replica) {
        for (JsonNode key :
                expect(200, replica.send("GET", "/v1/keys", null)).json().path("keys")) {
            if (key.path("key").path("primary").asBoolean())
                return key.path("key").path("id").asLong();
        }
        throw new AssertionError("no primary key");
    }

    private Path copyOf(Path keyset, String name) {
        Path copy = replicas.dir().resolve(name);
        distribute(keyset, copy);
        return copy;
    }

    private static void distribute(Path from, Path to) {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("r--------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
