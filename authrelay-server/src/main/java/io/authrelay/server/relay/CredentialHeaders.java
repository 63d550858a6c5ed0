package io.authrelay.server.relay;

import io.authrelay.core.workspace.Vend;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;

/**
 * The upstream headers a driver's {@code relay.headers} declares (codex: {@code ChatGPT-Account-ID: '{{account}}'}),
 * filled from the broker's credential, never from the sandbox. The one placeholder is {@code {{account}}}: no token
 * can be put in a header by configuration. Declarations are checked at start ({@link #problem}); a filled value is
 * checked again on each request, since the account comes from what a vendor's CLI wrote.
 */
public final class CredentialHeaders {
    private static final String ACCOUNT = "{{account}}";
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    /** Visible ASCII, spaces and tabs only inside: no CR, LF, NUL or other control character, nothing to trim. */
    private static final Pattern VALUE = Pattern.compile("[\\x21-\\x7E]([\\x20-\\x7E\\t]{0,1022}[\\x21-\\x7E])?");
    /** The credential the relay adds itself, where the request goes, and how it is framed: never a driver's to set. */
    private static final Set<String> RESERVED = Set.of(
            "authorization",
            "proxy-authorization",
            "cookie",
            "host",
            "content-length",
            "transfer-encoding",
            "connection",
            "keep-alive",
            "proxy-connection",
            "te",
            "trailer",
            "upgrade",
            "expect");

    /** A git request: the relay sets no header of a driver's. */
    static final Filled NONE = new Filled(Set.of(), HttpFields.EMPTY);

    private CredentialHeaders() {}

    /** Why these declarations cannot be used, or null: for the start's refusal. */
    public static String problem(Map<String, String> headers) {
        Set<String> seen = new LinkedHashSet<>();
        for (var header : headers.entrySet()) {
            String name = header.getKey();
            if (name == null || !TOKEN.matcher(name).matches()) return "'" + name + "' is not a header name";
            String lower = name.toLowerCase(Locale.ROOT);
            if (!seen.add(lower)) return name + " is declared twice (header names are case-insensitive)";
            if (RESERVED.contains(lower))
                return name + " is the relay's own to set (a credential, the host, a cookie or the framing)";
            String template = header.getValue();
            if (template == null) return name + " has no value";
            String literal = template.replace(ACCOUNT, "");
            if (literal.contains("{{") || literal.contains("}}"))
                return name + " names a value other than " + ACCOUNT + ", the only one a relay header may hold";
            if (!VALUE.matcher(template.replace(ACCOUNT, "x")).matches())
                return name + " must be 1 to 1024 visible ASCII characters, spaces only inside (no CR, LF, NUL or"
                        + " other control character)";
        }
        return null;
    }

    /**
     * The headers for this credential. One whose template names {@code {{account}}} is left out when the credential
     * has no account; an account a header cannot carry refuses the request before anything is sent.
     */
    static Filled fill(Map<String, String> headers, Vend vend) {
        Set<String> names = new LinkedHashSet<>();
        HttpFields.Mutable values = HttpFields.build();
        headers.forEach((name, template) -> {
            names.add(name);
            boolean needsAccount = template.contains(ACCOUNT);
            if (needsAccount && (vend.account() == null || vend.account().isEmpty())) return;
            String value = needsAccount ? template.replace(ACCOUNT, vend.account()) : template;
            // the account is the vendor's text as its CLI wrote it: a line break would forge another header
            if (!VALUE.matcher(value).matches()) {
                throw new RelayRefusal(
                        502,
                        "invalid_credential_header",
                        "the " + vend.provider() + " credential's account cannot be sent as " + name
                                + " (it holds characters a header cannot carry): reconnect it (authrelay login "
                                + vend.provider() + ")");
            }
            values.add(name, value);
        });
        return new Filled(Set.copyOf(names), values.asImmutable());
    }

    /**
     * What the relay sets on one upstream request: every declared name, in any case and any number of copies, is
     * removed from the allow-listed copy of the sandbox's headers, then the filled values are added once each.
     */
    record Filled(Set<String> names, HttpFields values) {
        void applyTo(HttpFields.Mutable outgoing) {
            names.forEach(outgoing::remove);
            outgoing.add(values);
        }
    }
}
