package io.authrelay.client.git;

import io.authrelay.client.BrokerConfig;
import io.authrelay.client.BrokerConfigException;
import io.authrelay.client.ErrorMessages;
import io.authrelay.client.VendRequest;
import io.authrelay.client.VendResult;
import io.authrelay.client.WorkspaceClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A git credential helper backed by the broker:
 * {@code git config credential.helper '!java -cp authrelay-client.jar io.authrelay.client.git.GitCredentialHelper'}.
 *
 * <p>Usage: {@code GitCredentialHelper [--provider NAME | --relay] (get|store|erase)}; git appends the operation.
 * With {@code --relay} (configured by {@code authrelay setup-git --relay} for the broker's URL only) {@code get}
 * answers the workspace token for the broker's own scheme, host and port ({@link RelayCredential}), nothing else.
 * <ul>
 *   <li>{@code get}: only for http/https with a host. An unsafe protocol, host or path ({@link AttributeRules}) is
 *       refused with one line on stderr and {@code quit=1}, and nothing is sent. Prints {@code username}, {@code password} and, when
 *       known, {@code password_expiry_utc}. When the broker serves no provider for the host it prints nothing
 *       (git tries its next helper). On a definitive refusal, or when the broker cannot be reached in time, it
 *       prints a one-line reason on stderr and {@code quit=1} so git neither prompts nor hangs.
 *   <li>{@code store}: nothing to do (the broker owns credentials).
 *   <li>{@code erase}: git saw the credential rejected; tell the broker (best effort, short deadline), unless an
 *       attribute is unsafe.
 *   <li>any other operation: ignored, as git requires.
 * </ul>
 * Exit status: 0, or 2 for malformed input or usage. Configuration: see {@link BrokerConfig#forWorkspace}.
 */
public final class GitCredentialHelper {
    public static final int EXIT_OK = 0;
    public static final int EXIT_USAGE = 2;

    private GitCredentialHelper() {}

    public static void main(String[] args) {
        PrintStream out = System.out;
        int code = run(args, System.getenv(), System.in, out, System.err);
        out.flush();
        System.exit(code);
    }

    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        String provider = null;
        boolean relay = false;
        String operation = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--provider")) {
                if (i + 1 >= args.length) {
                    err.println(ErrorMessages.PREFIX + "--provider needs a name");
                    return EXIT_USAGE;
                }
                provider = args[++i];
            } else if (arg.startsWith("--provider=")) {
                provider = arg.substring("--provider=".length());
            } else if (arg.equals("--relay")) {
                relay = true;
            } else if (arg.equals("-h") || arg.equals("--help")) {
                err.println("usage: authrelay-git-credential [--provider NAME | --relay] get|store|erase");
                return EXIT_OK;
            } else if (arg.startsWith("-")) {
                err.println(ErrorMessages.PREFIX + "unknown option " + ErrorMessages.clean(arg)
                        + ": usage: authrelay-git-credential [--provider NAME] get|store|erase");
                return EXIT_USAGE;
            } else if (operation == null) {
                operation = arg;
            } else {
                err.println(ErrorMessages.PREFIX + "unexpected argument " + ErrorMessages.clean(arg)
                        + ": usage: authrelay-git-credential [--provider NAME] get|store|erase");
                return EXIT_USAGE;
            }
        }
        if (provider != null && provider.isBlank()) {
            err.println(ErrorMessages.PREFIX + "--provider needs a name");
            return EXIT_USAGE;
        }
        if (operation == null) {
            err.println(ErrorMessages.PREFIX
                    + "no operation: usage: authrelay-git-credential [--provider NAME] get|store|erase");
            return EXIT_USAGE;
        }
        if (!operation.equals("get") && !operation.equals("store") && !operation.equals("erase")) {
            // git: helpers ignore operations they do not know. Still consume what git writes (bounded).
            try {
                CredentialInput.read(in);
            } catch (IOException | MalformedCredentialException ignored) {
                // nothing to report for an operation we ignore
            }
            return EXIT_OK;
        }
        CredentialInput input;
        try {
            input = CredentialInput.read(in);
        } catch (UnsafeAttributeException e) {
            return refuse(operation, e, out, err);
        } catch (MalformedCredentialException e) {
            err.println(ErrorMessages.PREFIX + "malformed credential input: " + e.getMessage());
            return EXIT_USAGE;
        } catch (IOException e) {
            err.println(ErrorMessages.PREFIX + "cannot read credential input: "
                    + e.getClass().getSimpleName());
            return EXIT_USAGE;
        }
        if (operation.equals("store")) return EXIT_OK;
        // the relay's own URL: the workspace token, never a vend (erase has nothing to report: the broker said no)
        if (relay) return operation.equals("get") ? RelayCredential.get(input, env, out, err) : EXIT_OK;
        try {
            AttributeRules.require("protocol", input.protocol());
            // git also asks helpers for what is not ours (certificate passphrases, other protocols): those are left
            // to the next helper, whatever their host or path look like
            if (!isHttp(input.protocol())
                    || input.host() == null
                    || input.host().isEmpty()) return EXIT_OK;
            AttributeRules.require("host", input.host());
            AttributeRules.require("path", input.path());
        } catch (UnsafeAttributeException e) {
            return refuse(operation, e, out, err);
        }
        VendRequest request = new VendRequest(
                input.protocol(),
                input.host(),
                emptyToNull(input.path()),
                emptyToNull(input.username()),
                input.list("wwwauth"),
                provider);

        WorkspaceClient broker;
        try {
            broker = WorkspaceClient.fromEnvironment(env, err);
        } catch (BrokerConfigException e) {
            if (operation.equals("erase")) return EXIT_OK;
            return quit(out, err, ErrorMessages.config(e));
        }
        if (operation.equals("erase")) {
            broker.reject(request);
            return EXIT_OK;
        }
        VendResult result = broker.vend(request);
        if (result instanceof VendResult.Granted granted) {
            return answer(granted, out, err);
        }
        if (result instanceof VendResult.NotOurs) {
            return EXIT_OK;
        }
        return quit(out, err, ((VendResult.Failed) result).message());
    }

    private static int answer(VendResult.Granted granted, PrintStream out, PrintStream err) {
        if (!safeValue(granted.username()) || !safeValue(granted.password())) {
            return quit(
                    out,
                    err,
                    ErrorMessages.PREFIX + "the broker returned a credential git cannot use (newline or NUL in it)");
        }
        StringBuilder answer = new StringBuilder(64 + granted.password().length());
        answer.append("username=").append(granted.username()).append('\n');
        answer.append("password=").append(granted.password()).append('\n');
        if (granted.passwordExpiryUtc() != null)
            answer.append("password_expiry_utc=")
                    .append(granted.passwordExpiryUtc().longValue())
                    .append('\n');
        write(out, answer.toString());
        return EXIT_OK;
    }

    /** A request the broker must not see: nothing is sent; {@code get} also stops git from asking anyone else. */
    private static int refuse(String operation, UnsafeAttributeException e, PrintStream out, PrintStream err) {
        if (operation.equals("erase")) {
            err.println(ErrorMessages.PREFIX + e.getMessage());
            return EXIT_OK;
        }
        return quit(out, err, ErrorMessages.PREFIX + e.getMessage());
    }

    static int quit(PrintStream out, PrintStream err, String message) {
        err.println(message);
        write(out, "quit=1\n");
        return EXIT_OK;
    }

    static void write(PrintStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        out.flush();
    }

    static boolean safeValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n' || c == '\r' || c == 0) return false;
        }
        return true;
    }

    private static boolean isHttp(String protocol) {
        return "https".equals(protocol) || "http".equals(protocol);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
