package io.authrelay.client.git;

import java.util.function.IntPredicate;

/**
 * What the helpers refuse, before anything is sent: a protocol, host or path that git, the broker and the forge
 * could each read differently. helper.sh has the same rules, in the same order and with the same messages (its
 * {@code check}), and one table of inputs tests both helpers. In this order, the first that applies is reported:
 * <ol>
 *   <li>whitespace (space, tab, LF, VT, FF, CR, as C's isspace), in any of the three;
 *   <li>any other control character (U+0000 to U+001F, U+007F);
 *   <li>in protocol and host, anything outside ASCII: a look-alike host ({@code gıthub.com}) must not be matched,
 *       logged or audited as the host it imitates (paths may be UTF-8, as repository names are);
 *   <li>in host, userinfo ({@code @}): git sends the username on its own line, so an {@code @} in the host means
 *       someone built it to point elsewhere.
 * </ol>
 * A NUL or newline that {@code url=} decodes to is refused earlier, by {@link GitUrl}.
 */
final class AttributeRules {
    private AttributeRules() {}

    static void require(String attribute, String value) throws UnsafeAttributeException {
        if (value == null) return;
        String why = null;
        if (contains(value, c -> c == ' ' || c >= '\t' && c <= '\r')) why = "whitespace";
        else if (contains(value, c -> c < 0x20 || c == 0x7f)) why = "a control character";
        else if (!attribute.equals("path") && contains(value, c -> c > 0x7f)) why = "a non-ASCII character";
        else if (attribute.equals("host") && value.indexOf('@') >= 0) why = "userinfo (@)";
        if (why != null) throw new UnsafeAttributeException(attribute, "it contains " + why);
    }

    private static boolean contains(String value, IntPredicate test) {
        return value.chars().anyMatch(test);
    }
}
