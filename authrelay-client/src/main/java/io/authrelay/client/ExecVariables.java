package io.authrelay.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which environment variables a vended credential goes into, chosen by what kind of credential it is, the way that
 * kind's own tools read it: a GitHub token for github.com in {@code GH_TOKEN} and {@code GITHUB_TOKEN}; one for a
 * GitHub Enterprise host in {@code GH_ENTERPRISE_TOKEN} and {@code GITHUB_ENTERPRISE_TOKEN}, with {@code GH_HOST} so gh
 * talks to that host; anything else in {@code AUTHRELAY_TOKEN_<NAME>}. Names given with {@code NAME=VAR1,VAR2} win.
 */
final class ExecVariables {
    static final String GITHUB_DOT_COM = "github.com";

    private ExecVariables() {}

    /** The explicit names of {@code NAME=VAR1,VAR2}, in order, without duplicates; empty when none were given. */
    static List<String> explicitNames(String explicit) {
        List<String> vars = new ArrayList<>();
        if (explicit == null || explicit.isBlank()) return vars;
        for (String part : explicit.split(",")) {
            String v = part.strip();
            if (!v.isEmpty() && !vars.contains(v)) vars.add(v);
        }
        return vars;
    }

    /** @return variable → value: the secret, and for GitHub Enterprise also the host */
    static Map<String, String> forCredential(String provider, String explicit, VendResult.Granted credential) {
        Map<String, String> vars = new LinkedHashMap<>();
        List<String> named = explicitNames(explicit);
        if (!named.isEmpty()) {
            named.forEach(v -> vars.put(v, credential.password()));
        } else if ("github".equals(credential.kind()) && GITHUB_DOT_COM.equals(credential.host())) {
            vars.put("GH_TOKEN", credential.password());
            vars.put("GITHUB_TOKEN", credential.password());
        } else if ("github".equals(credential.kind()) && credential.host() != null) {
            vars.put("GH_ENTERPRISE_TOKEN", credential.password());
            vars.put("GITHUB_ENTERPRISE_TOKEN", credential.password());
            vars.put("GH_HOST", credential.host());
        } else {
            vars.put(fallbackName(provider), credential.password());
        }
        return vars;
    }

    static String fallbackName(String provider) {
        StringBuilder name = new StringBuilder("AUTHRELAY_TOKEN_");
        for (int i = 0; i < provider.length(); i++) {
            char c = provider.charAt(i);
            name.append(c < 128 && Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return name.toString();
    }

    static boolean isValidName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9';
            if (!ok) return false;
        }
        return true;
    }
}
