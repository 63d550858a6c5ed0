package io.authrelay.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A vendor CLI described in providers.yaml alone (driver type {@value #TYPE}): a sh script that prints an authorize
 * URL with state {@value #STATE}, reads the pasted code, and for a {@code CODE#STATE} writes a credential file
 * (access {@code access-CODE}, refresh {@code refresh-CODE}, account {@value #ACCOUNT}) and says it succeeded;
 * anything else ends in "Login failed: Invalid code".
 */
public final class FakeVendorCli {
    public static final String TYPE = "fake-cli";
    public static final String URL = "https://vendor.test/oauth/authorize?client_id=fake&state=st4te";
    public static final String STATE = "st4te";
    public static final String ACCOUNT = "me@example.com";

    private static final String SCRIPT = """
            #!/bin/sh
            echo "Visit: %s"
            printf 'Paste code here > '
            read -r code
            case "$code" in
              *'#'*) ;;
              *) echo "Login failed: Invalid code"; exit 1 ;;
            esac
            mkdir -p "$HOME/.fake"
            printf '{"access":"access-%%s","refresh":"refresh-%%s","expires":%%s,"account":"%s"}' \\
              "${code%%%%#*}" "${code%%%%#*}" "$(( $(date +%%s) + 3600 ))" > "$HOME/.fake/creds.json"
            echo "Login successful."
            """.formatted(URL, ACCOUNT);

    private FakeVendorCli() {}

    /** The {@code drivers:} section of providers.yaml for it, with the script written to a private temporary file. */
    public static String driversYaml() {
        return """
                drivers:
                  %s:
                    host: api.fake.test
                    command: %s
                    default_mode: paste
                    modes:
                      paste:
                        args: [login]
                        input: paste
                        patterns:
                          url: '(https://vendor\\.test/\\S+)'
                          input_prompt: 'Paste code here'
                          success: 'Login successful'
                          failure: 'Login failed.*'
                        timeout: 1m
                    capture:
                      oauth:
                        file: .fake/creds.json
                        access_token: /access
                        refresh_token: /refresh
                        expires_at: /expires
                        expires_at_format: epoch_s
                        account: /account
                    refresh:
                      token_endpoint: http://127.0.0.1:9/token
                      client_id: fake
                      body_format: json
                    delivery:
                      oauth:
                        env:
                          FAKE_TOKEN: '{{access_token}}'
                        files:
                          - path: .fake/creds.json
                            content: '{"access":"{{access_token}}","account":"{{account}}"}'
                """.formatted(TYPE, script());
    }

    /** The script, written to a private temporary file. */
    public static Path script() {
        try {
            Path script = Files.createTempDirectory("fake-cli").resolve("fake-cli");
            Files.writeString(script, SCRIPT);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
