package io.authrelay.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the {@code {{name}}} placeholders of what {@code POST /v1/deliver/relay} answers, on the client, which alone
 * knows the values ({@code relay_url}, {@code workspace_token}, ...). In a JSON or TOML file a value goes in escaped as
 * string content (both read {@code \"}, {@code \\} and {@code \\uXXXX}), so it cannot end its string; a variable left
 * empty is dropped (unset beats empty for a CLI); an unknown placeholder refuses the whole answer.
 */
final class RelayTemplates {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z0-9_]+)}}");

    private RelayTemplates() {}

    static Delivery fill(Delivery templates, Map<String, String> values) throws Delivery.Refused {
        Map<String, String> env = new LinkedHashMap<>();
        for (var variable : templates.env().entrySet()) {
            String value = fill(variable.getValue(), values, false);
            if (!value.isEmpty()) env.put(variable.getKey(), value);
        }
        List<Delivery.File> files = new ArrayList<>();
        for (Delivery.File file : templates.files()) {
            boolean quoted = file.path().endsWith(".json") || file.path().endsWith(".toml");
            files.add(new Delivery.File(file.path(), fill(file.content(), values, quoted)));
        }
        return new Delivery(
                templates.provider(), templates.driver(), templates.credential(), templates.expiresAt(), env, files);
    }

    private static String fill(String template, Map<String, String> values, boolean quoted) throws Delivery.Refused {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) throw new Delivery.Refused("it names an unknown value {{" + m.group(1) + "}}");
            m.appendReplacement(out, Matcher.quoteReplacement(quoted ? stringContent(value) : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** JSON's escaping without the quotes: also valid inside a TOML basic string. */
    private static String stringContent(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2);
        JsonWriter.quote(quoted, value);
        return quoted.substring(1, quoted.length() - 1);
    }
}
