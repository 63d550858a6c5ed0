package io.authrelay.client.git;

import io.authrelay.client.BrokerConfig;
import io.authrelay.client.BrokerConfigException;
import io.authrelay.client.BrokerEndpoint;
import io.authrelay.client.ErrorMessages;
import java.io.PrintStream;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * The helper's answer for the credential relay's own URL ({@code --relay}): the workspace token, which is all a
 * sandbox that reaches git hosts through the relay holds. It is handed out only for the broker's exact scheme, host
 * and port, so git cannot be talked into sending it anywhere else; git keeps it in memory for the one command, and no
 * git config file ever names it.
 */
final class RelayCredential {
    /** The username git sends with the token; the relay reads only the password. */
    static final String USERNAME = "authrelay";

    private RelayCredential() {}

    /** git's {@code get} for the relay's URL: the token, nothing (not the relay's URL), or a reason and quit=1. */
    static int get(CredentialInput input, Map<String, String> env, PrintStream out, PrintStream err) {
        BrokerConfig config;
        try {
            config = BrokerConfig.forWorkspace(env);
        } catch (BrokerConfigException e) {
            return GitCredentialHelper.quit(out, err, ErrorMessages.config(e));
        }
        if (!(config.endpoint() instanceof BrokerEndpoint.Url url) || !isRelay(url.url(), input)) {
            return GitCredentialHelper.EXIT_OK;
        }
        if (!config.hasToken()) return GitCredentialHelper.quit(out, err, ErrorMessages.noToken());
        if (!GitCredentialHelper.safeValue(config.token())) {
            return GitCredentialHelper.quit(
                    out, err, ErrorMessages.PREFIX + "the workspace token has a newline or NUL");
        }
        GitCredentialHelper.write(out, "username=" + USERNAME + "\npassword=" + config.token() + "\n");
        return GitCredentialHelper.EXIT_OK;
    }

    private static boolean isRelay(URI broker, CredentialInput input) {
        String scheme = broker.getScheme() == null ? "" : broker.getScheme().toLowerCase(Locale.ROOT);
        String authority =
                broker.getRawAuthority() == null ? "" : broker.getRawAuthority().toLowerCase(Locale.ROOT);
        return input.host() != null
                && scheme.equals(input.protocol())
                && authority.equals(input.host().toLowerCase(Locale.ROOT));
    }
}
