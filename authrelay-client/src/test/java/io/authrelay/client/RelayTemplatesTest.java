package io.authrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** exec --relay's side of a relay answer: placeholders filled on the client, files in a run's private directory. */
class RelayTemplatesTest {
    private static final String TOKEN = "arw_" + "d".repeat(40);

    private static Delivery templates(Map<String, String> env, Delivery.File... files) {
        return new Delivery("codex", null, null, null, env, List.of(files));
    }

    @Test
    void valuesFillVariablesAsTheyAreAndFilesAsStringContentAndAnEmptyVariableIsDropped() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CODEX_HOME", "{{relay_home}}");
        env.put("CODEX_CA_CERTIFICATE", "{{ca_file}}");
        // a value that would end its string, and a new line that would start a TOML key of its own
        String hostile = "https://b\"roker\\\n[x]";
        Delivery filled = RelayTemplates.fill(
                templates(
                        env,
                        new Delivery.File(
                                "auth.json", "{\"access_token\":\"{{workspace_token}}\",\"u\":\"{{relay_url}}\"}"),
                        new Delivery.File("config.toml", "base_url = \"{{relay_url}}/codex\"\n"),
                        new Delivery.File("note.txt", "{{relay_url}}")),
                Map.of("relay_home", "/tmp/r/codex", "ca_file", "", "workspace_token", TOKEN, "relay_url", hostile));

        assertThat(filled.env()).containsExactly(Map.entry("CODEX_HOME", "/tmp/r/codex"));
        Map<String, Object> auth = MiniJson.parseObject(filled.files().get(0).content());
        assertThat(auth).containsEntry("access_token", TOKEN).containsEntry("u", hostile);
        assertThat(filled.files().get(1).content())
                .isEqualTo("base_url = \"https://b\\\"roker\\\\\\n[x]/codex\"\n")
                .doesNotContain("\n[x]");
        assertThat(filled.files().get(2).content()).isEqualTo(hostile);
    }

    @Test
    void anUnknownPlaceholderRefusesTheWholeAnswer() {
        assertThatThrownBy(() -> RelayTemplates.fill(
                        templates(Map.of("X", "{{access_token}}")), Map.of("workspace_token", TOKEN)))
                .isInstanceOf(Delivery.Refused.class)
                .hasMessageContaining("{{access_token}}");
        assertThatThrownBy(() -> RelayTemplates.fill(
                        templates(Map.of(), new Delivery.File("auth.json", "{{refresh_ticket}}")), Map.of()))
                .isInstanceOf(Delivery.Refused.class);
    }

    @Test
    void aRunsDirectoryIsPrivateAndGoesWithEverythingInItButWhatALinkPointsAt(@TempDir Path outside) throws Exception {
        RelayHome home = new RelayHome();
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        home.remove(err); // nothing made yet: nothing to do

        home.write("codex", List.of(new Delivery.File("auth.json", TOKEN), new Delivery.File("a/b.toml", "x")));
        Path dir = home.of("codex");
        assertThat(Files.readString(dir.resolve("auth.json"))).isEqualTo(TOKEN);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent())))
                .isEqualTo("rwx------");
        Path kept = Files.writeString(outside.resolve("kept"), "kept");
        Files.createSymbolicLink(dir.resolve("link"), outside); // what a CLI (or an agent) may leave there
        Files.createDirectories(dir.resolve("sessions/2026"));

        home.remove(err);
        assertThat(dir.getParent()).doesNotExist();
        assertThat(kept).hasContent("kept");
    }

    @Test
    void aProviderNameIsOneDirectoryInsideTheRunsNeverAWayOut() throws Exception {
        RelayHome home = new RelayHome();
        for (String name : new String[] {"..", ".", "a/b", "../x", "/etc", ""}) {
            assertThatThrownBy(() -> home.of(name)).as(name).isInstanceOf(java.io.IOException.class);
        }
        home.remove(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }
}
