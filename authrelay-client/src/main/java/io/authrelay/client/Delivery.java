package io.authrelay.client;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/deliver}: an AI CLI's credential in the forms that CLI reads, access only (never a refresh token):
 * environment variables (for {@code exec}) and files relative to a home directory (for {@code materialize}).
 * {@code expiresAt} is null when the broker does not know. Built only by {@link #parse}, which refuses the whole
 * answer on any entry a careful client must not act on: a compromised or confused broker gets nothing written
 * outside the home and no variable that changes how programs are loaded.
 */
public record Delivery(
        String provider,
        String driver,
        String credential,
        Instant expiresAt,
        Map<String, String> env,
        List<File> files) {

    /** One file: {@code path} relative to the home, checked by {@link DeliveryPath}; {@code content} written as is. */
    public record File(String path, String content) {
        @Override
        public String toString() {
            return "File[" + path + ", content=" + Redactor.MASK + "]";
        }
    }

    /**
     * Variables a credential never needs and that would let whoever sets them run code in the child (loader, shell
     * start-up and language run-time hooks) or point it at another broker: exact names, then prefixes.
     */
    private static final Set<String> FORBIDDEN_VARIABLES = Set.of(
            "PATH",
            "HOME",
            "SHELL",
            "IFS",
            "ENV",
            "BASH_ENV",
            "PS4",
            "PROMPT_COMMAND",
            "SHELLOPTS",
            "BASHOPTS",
            "NODE_OPTIONS",
            "NODE_PATH",
            "JAVA_TOOL_OPTIONS",
            "JDK_JAVA_OPTIONS",
            "_JAVA_OPTIONS",
            "CLASSPATH",
            "BROWSER",
            "EDITOR",
            "VISUAL",
            "PAGER",
            "TMPDIR");

    private static final List<String> FORBIDDEN_PREFIXES =
            List.of("LD_", "DYLD_", "GIT_", "PYTHON", "PERL", "RUBY", "AUTHRELAY_", "BASH_FUNC_");

    public Delivery {
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        files = List.copyOf(files);
    }

    @Override
    public String toString() {
        return "Delivery[" + provider + ", " + driver + ", " + credential + ", expires=" + expiresAt + ", env="
                + env.keySet() + ", files=" + files + "]";
    }

    /** The answer's body, checked entry by entry. */
    public static Delivery parse(String json) throws Refused {
        Map<String, Object> body;
        try {
            body = MiniJson.parseObject(json);
        } catch (MiniJson.JsonException e) {
            throw new Refused("the answer is not a JSON object");
        }
        String provider = MiniJson.string(body, "provider");
        if (provider == null || provider.isEmpty()) throw new Refused("the answer names no provider");
        return new Delivery(
                provider,
                MiniJson.string(body, "driver"),
                MiniJson.string(body, "credential"),
                expiry(body.get("expires_at")),
                env(body.get("env")),
                files(body.get("files")));
    }

    private static Instant expiry(Object value) throws Refused {
        if (value == null) return null;
        if (!(value instanceof String text)) throw new Refused("expires_at is not a string");
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new Refused("expires_at is not an RFC 3339 UTC time");
        }
    }

    static Map<String, String> env(Object value) throws Refused {
        Map<String, String> env = new LinkedHashMap<>();
        if (value == null) return env;
        if (!(value instanceof Map<?, ?> map)) throw new Refused("env is not an object");
        for (var entry : map.entrySet()) {
            String name = (String) entry.getKey();
            if (!ExecVariables.isValidName(name))
                throw new Refused("'" + ErrorMessages.clean(name) + "' is not a valid environment variable name");
            if (isForbidden(name)) throw new Refused("it would set " + name + ", which no credential needs");
            if (!(entry.getValue() instanceof String text))
                throw new Refused("the value of " + name + " is not a string");
            if (text.indexOf('\0') >= 0) throw new Refused("the value of " + name + " contains a NUL");
            env.put(name, text);
        }
        return env;
    }

    /**
     * Why a client refuses to set variable {@code name} ("is not …"), or null: public so that the broker refuses a
     * driver that would deliver it, by the same rule.
     */
    public static String variableProblem(String name) {
        if (!ExecVariables.isValidName(name)) return "is not a valid environment variable name";
        if (isForbidden(name)) return "is a variable no credential needs (it changes how programs run)";
        return null;
    }

    /** Why a client refuses to write a file at {@code path} under a home, or null: {@link DeliveryPath}'s rule. */
    public static String pathProblem(String path) {
        return DeliveryPath.problem(path);
    }

    private static boolean isForbidden(String name) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        return FORBIDDEN_VARIABLES.contains(upper)
                || FORBIDDEN_PREFIXES.stream().anyMatch(upper::startsWith);
    }

    private static List<File> files(Object value) throws Refused {
        List<File> files = new ArrayList<>();
        if (value == null) return files;
        if (!(value instanceof List<?> list)) throw new Refused("files is not a list");
        Set<String> paths = new HashSet<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> map)
                    || !(map.get("path") instanceof String path)
                    || !(map.get("content") instanceof String content)
                    || map.size() != 2) {
                throw new Refused("a file entry is not {\"path\":…,\"content\":…}");
            }
            String problem = DeliveryPath.problem(path);
            if (problem != null) throw new Refused("file path '" + ErrorMessages.clean(path) + "' " + problem);
            if (!paths.add(path)) throw new Refused("file path '" + ErrorMessages.clean(path) + "' comes twice");
            files.add(new File(path, content));
        }
        for (String path : paths) {
            for (String other : paths) {
                if (other.startsWith(path + "/"))
                    throw new Refused("file path '" + ErrorMessages.clean(path) + "' is also a directory of another");
            }
        }
        return files;
    }

    /** Why the client refuses a delivery, without any of its secrets. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason);
        }
    }
}
