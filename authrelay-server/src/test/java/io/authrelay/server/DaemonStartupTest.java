package io.authrelay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.login.PollPolicy;
import io.authrelay.server.testing.PrivateCa;
import io.authrelay.server.testing.PrivateDirs;
import io.authrelay.server.testing.TestBroker;
import java.io.FileInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class DaemonStartupTest {
    @TempDir
    Path tmp;

    @RegisterExtension
    final TestBroker d = TestBroker.inProcess().startedByTest();

    @RegisterExtension
    final TestBroker other = TestBroker.inProcess().startedByTest();

    private static Daemon start(Path home, String listen, Map<String, String> env) {
        return Daemon.start(
                new DaemonOptions(
                        home,
                        ListenAddress.parse(listen),
                        null,
                        null,
                        null,
                        false,
                        null,
                        PollPolicy.defaults(),
                        null,
                        null,
                        null),
                env,
                Clock.systemUTC());
    }

    private static String perms(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void firstStartCreatesAPrivateHomeWithPrivateFiles() throws Exception {
        Path home = d.home();
        d.start();
        d.addStaticProvider("gh", "git.example.test", "first-secret-value");
        {
            assertThat(perms(home)).isEqualTo("rwx------");
            for (String file :
                    new String[] {"authrelay.db", "authrelay.db-wal", "authrelay.db-shm", "keyset.json", "admin.token"
                    }) {
                assertThat(home.resolve(file)).exists();
                assertThat(perms(home.resolve(file))).as(file).isEqualTo("rw-------");
            }
            assertThat(d.adminToken()).startsWith("ara_");
        }
    }

    @Test
    void refusesOverOpenKeyTokenOrDatabaseFiles() throws Exception {
        Path home = d.home();
        d.start().terminate();
        for (String file : new String[] {"keyset.json", "admin.token", "authrelay.db"}) {
            Files.setPosixFilePermissions(home.resolve(file), PosixFilePermissions.fromString("rw-r-----"));
            assertThatThrownBy(d::start)
                    .as(file)
                    .isInstanceOf(StartupRefusal.class)
                    .hasMessageContaining(file)
                    .hasMessageContaining("chmod 600");
            Files.setPosixFilePermissions(home.resolve(file), PosixFilePermissions.fromString("rw-------"));
        }
        d.start().terminate();
    }

    @Test
    void refusesAKeysetThatCannotDecryptTheDatabase() throws Exception {
        Path home = d.home();
        d.start().addStaticProvider("gh", "git.example.test", "secret-under-first-key");
        d.terminate();
        Path otherHome = other.home();
        other.start().terminate();
        Files.copy(
                otherHome.resolve("keyset.json"),
                home.resolve("keyset.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(d::start).isInstanceOf(StartupRefusal.class).hasMessageContaining("wrong key");
    }

    @Test
    void refusesToStartWithoutTheKeysetWhenTheDatabaseHasSecrets() throws Exception {
        Path home = d.home();
        d.start().terminate();
        Files.delete(home.resolve("keyset.json"));
        assertThatThrownBy(d::start).isInstanceOf(StartupRefusal.class).hasMessageContaining("missing");
    }

    @Test
    void keysetCanComeFromAUTHRELAY_KEYSET() throws Exception {
        Path external = tmp.resolve("mounted/keyset.json");
        Files.createDirectories(external.getParent());
        d.withDaemonEnv("AUTHRELAY_KEYSET", external.toString());
        d.start().addStaticProvider("gh", "git.example.test", "secret-under-mounted-key");
        d.terminate();
        assertThat(external).exists();
        assertThat(d.home().resolve("keyset.json")).doesNotExist();
        d.start();
        assertThat(TestBroker.expect(200, d.send("POST", "/v1/credentials/gh/token", "{}"))
                        .body())
                .contains("secret-under-mounted-key");
    }

    @Test
    void providersDeclaredInProvidersYamlAreAppliedAndABadEntryRefusesTheStart() throws Exception {
        Path home = PrivateDirs.directory(d.home());
        writeOwnerOnly(home.resolve("providers.yaml"), """
                providers:
                  - name: github
                    type: github
                    client_id: Iv1.example
                    scopes: repo
                  - name: gitea
                    type: static
                    host: git.example.test
                    username: bot
                """);
        d.start();
        String providers =
                TestBroker.expect(200, d.send("GET", "/v1/providers", null)).body();
        assertThat(providers)
                .contains("\"github\"", "https://github.com/login/device/code", "\"gitea\"", "git.example.test");
        d.terminate();
        writeOwnerOnly(
                home.resolve("providers.yaml"), "providers:\n  - name: Bad Name\n    type: static\n    host: h\n");
        assertThatThrownBy(d::start)
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("providers.yaml")
                .hasMessageContaining("Bad Name");
        writeOwnerOnly(home.resolve("providers.yaml"), "providers:\n  - name: x\n    colour: blue\n");
        assertThatThrownBy(d::start).isInstanceOf(StartupRefusal.class).hasMessageContaining("not valid");
    }

    @Test
    void refusesATakenPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> start(tmp.resolve("home"), "127.0.0.1:" + taken.getLocalPort(), Map.of()))
                    .isInstanceOf(StartupRefusal.class)
                    .hasMessageContaining("in use");
        }
    }

    @Test
    void refusesAHomeItCannotWrite() throws Exception {
        Path notADirectory = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> start(notADirectory.resolve("home"), "127.0.0.1:0", Map.of()))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("not writable");
        assertThatThrownBy(() -> start(notADirectory, "127.0.0.1:0", Map.of()))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    void refusesPlainHttpOnANonLoopbackAddressUnlessExplicitlyAllowed() {
        assertThatThrownBy(() -> start(tmp.resolve("home"), "0.0.0.0:0", Map.of()))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("--insecure-listen");
        var insecure = new DaemonOptions(
                tmp.resolve("home"),
                ListenAddress.parse("0.0.0.0:0"),
                null,
                null,
                null,
                true,
                null,
                PollPolicy.defaults(),
                null,
                null,
                null);
        Daemon.start(insecure, Map.of(), Clock.systemUTC()).close();
    }

    @Test
    void servesTlsFromPemFiles() throws Exception {
        PrivateCa ca = PrivateCa.create(tmp.resolve("ca"), "Test CA");
        PrivateCa.Issued issued = ca.issue("broker", "IP:127.0.0.1");
        Path cert = issued.certificate();
        Path key = issued.key();

        var options = new DaemonOptions(
                tmp.resolve("home"),
                ListenAddress.parse("127.0.0.1:0"),
                null,
                cert,
                key,
                false,
                null,
                PollPolicy.defaults(),
                null,
                null,
                null);
        try (Daemon daemon = Daemon.start(options, Map.of(), Clock.systemUTC())) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (var in = new FileInputStream(ca.certificate().toFile())) {
                trust.setCertificateEntry(
                        "authrelay", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
            String origin = "https://127.0.0.1:" + daemon.port();
            HttpResponse<String> response = https.send(
                    HttpRequest.newBuilder(URI.create(origin + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);

            // Under TLS the console's cookie is Secure and __Host- (this host only, path /), and links are https.
            String admin =
                    Files.readString(tmp.resolve("home").resolve("admin.token")).trim();
            HttpResponse<String> signIn = https.send(
                    HttpRequest.newBuilder(URI.create(origin + "/console/session"))
                            .header("Authorization", "Bearer " + admin)
                            .header("Origin", origin)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(201);
            assertThat(signIn.headers().firstValue("Set-Cookie").orElseThrow())
                    .startsWith("__Host-authrelay_console=arc_")
                    .contains("; Path=/", "; HttpOnly", "; SameSite=Strict", "; Secure")
                    .doesNotContain("Domain", "Max-Age", "Expires");
            HttpResponse<String> link = https.send(
                    HttpRequest.newBuilder(URI.create(origin + "/v1/console/links"))
                            .header("Authorization", "Bearer " + admin)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(link.body()).contains("\"url\":\"" + origin + "/#link=arl_");
        }
    }

    private static void writeOwnerOnly(Path file, String text) throws java.io.IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
