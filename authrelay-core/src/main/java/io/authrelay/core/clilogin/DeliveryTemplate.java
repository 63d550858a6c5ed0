package io.authrelay.core.clilogin;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a driver's {@code {{name}}} placeholders. Values go into JSON files escaped as JSON string content, so a
 * token can never break out of its string; an unknown placeholder is an error in the driver, not an empty value.
 */
final class DeliveryTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z0-9_]+)}}");

    private DeliveryTemplate() {}

    static String fill(String template, Map<String, String> values, boolean json) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null)
                throw new IllegalArgumentException("the driver names an unknown value {{" + m.group(1) + "}}");
            m.appendReplacement(out, Matcher.quoteReplacement(json ? jsonEscaped(value) : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String jsonEscaped(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.toString();
    }
}
