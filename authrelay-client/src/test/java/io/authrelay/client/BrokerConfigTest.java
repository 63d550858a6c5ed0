package io.authrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerConfigTest {
    @TempDir
    Path dir;

    private Path conf(Path file, String text, String perms) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
        return file;
    }

    @Test
    void environmentWins() throws Exception {
        Path file = conf(dir.resolve("c.conf"), "url=http://10.0.0.1:1\ntoken=arw_file\n", "rw-------");
        BrokerConfig config = BrokerConfig.forWorkspace(Map.of(
                "AUTHRELAY_URL",
                "http://127.0.0.1:7000/",
                "AUTHRELAY_TOKEN",
                "arw_env",
                "AUTHRELAY_CONFIG",
                file.toString()));
        assertThat(config.endpoint().describe()).hasToString("http://127.0.0.1:7000");
        assertThat(config.token()).isEqualTo("arw_env");
        assertThat(config.file()).isNull();
        assertThat(config.timeoutMillis()).isEqualTo(10_000);
        assertThat(config.toString()).doesNotContain("arw_env");
    }

    @Test
    void fileFillsWhatTheEnvironmentLacks() throws Exception {
        Path file = conf(
                dir.resolve("c.conf"),
                "# broker\n\n url = http://127.0.0.1:9000 \ntoken=arw_file\nfuture=1\n",
                "rw-------");
        BrokerConfig config = BrokerConfig.forWorkspace(
                Map.of("AUTHRELAY_URL", "http://127.0.0.1:7000", "AUTHRELAY_CONFIG", file.toString()));
        assertThat(config.endpoint().describe()).hasToString("http://127.0.0.1:7000");
        assertThat(config.token()).isEqualTo("arw_file");
        assertThat(config.file()).isEqualTo(file);

        BrokerConfig fromFile = BrokerConfig.forWorkspace(Map.of("AUTHRELAY_CONFIG", file.toString()));
        assertThat(fromFile.endpoint().describe()).hasToString("http://127.0.0.1:9000");
    }

    @Test
    void searchOrderIsExplicitThenXdgThenHome() throws Exception {
        conf(dir.resolve("xdg/authrelay/client.conf"), "token=arw_xdg\n", "rw-------");
        conf(dir.resolve("home/.config/authrelay/client.conf"), "token=arw_home\n", "rw-------");
        assertThat(BrokerConfig.forWorkspace(Map.of(
                                "XDG_CONFIG_HOME",
                                dir.resolve("xdg").toString(),
                                "HOME",
                                dir.resolve("home").toString()))
                        .token())
                .isEqualTo("arw_xdg");
        assertThat(BrokerConfig.forWorkspace(Map.of("HOME", dir.resolve("home").toString()))
                        .token())
                .isEqualTo("arw_home");
        BrokerConfig none =
                BrokerConfig.forWorkspace(Map.of("HOME", dir.resolve("nobody").toString()));
        assertThat(none.hasToken()).isFalse();
        assertThat(none.endpoint().describe()).hasToString(BrokerConfig.DEFAULT_URL);
    }

    @Test
    void refusesAFileOthersCanRead() throws Exception {
        Path file = conf(dir.resolve("c.conf"), "token=arw_x\n", "rw-r--r--");
        assertThatThrownBy(() -> BrokerConfig.forWorkspace(Map.of("AUTHRELAY_CONFIG", file.toString())))
                .isInstanceOf(BrokerConfigException.class)
                .hasMessageContaining("chmod 600 " + file)
                .hasMessageNotContaining("\n");
        Path groupWritable = conf(dir.resolve("g.conf"), "token=arw_x\n", "rw--w----");
        assertThatThrownBy(() -> BrokerConfig.forWorkspace(Map.of("AUTHRELAY_CONFIG", groupWritable.toString())))
                .hasMessageContaining("chmod 600");
    }

    @Test
    void rejectsBadLinesAndUrls() throws Exception {
        Path file = conf(dir.resolve("c.conf"), "token=arw_x\njunk\n", "rw-------");
        assertThatThrownBy(() -> BrokerConfig.forWorkspace(Map.of("AUTHRELAY_CONFIG", file.toString())))
                .hasMessageEndingWith("line 2: expected key=value");
        assertThatThrownBy(() -> BrokerConfig.forWorkspace(Map.of("AUTHRELAY_URL", "ftp://x", "AUTHRELAY_TOKEN", "t")))
                .hasMessageContaining("http://HOST:PORT");
        assertThatThrownBy(() -> BrokerConfig.forWorkspace(
                        Map.of("AUTHRELAY_URL", "http://u:arw_secretsecret@h", "AUTHRELAY_TOKEN", "t")))
                .hasMessageContaining("must not carry credentials");
        assertThatThrownBy(() -> BrokerConfig.forWorkspace(Map.of("AUTHRELAY_TOKEN", "t", "AUTHRELAY_TIMEOUT", "soon")))
                .hasMessageContaining("AUTHRELAY_TIMEOUT");
    }

    @Test
    void timeoutAndDebugComeFromTheEnvironment() throws Exception {
        BrokerConfig config = BrokerConfig.forWorkspace(Map.of(
                "AUTHRELAY_TOKEN",
                "t",
                "AUTHRELAY_TIMEOUT",
                "2.5",
                "AUTHRELAY_DEBUG",
                "1",
                "AUTHRELAY_CONFIG",
                dir.resolve("none").toString()));
        assertThat(config.timeoutMillis()).isEqualTo(2_500);
        assertThat(config.debug()).isTrue();
    }
}
