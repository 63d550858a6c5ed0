package io.authrelay.core.net;

/** Untrusted text made safe to quote in a one-line message: bounded, controls and non-ASCII shown as escapes. */
public final class Printable {
    private static final int MAX = 80;

    private Printable() {}

    public static String of(String raw) {
        if (raw == null) return "null";
        StringBuilder out = new StringBuilder(Math.min(raw.length(), MAX) + 8);
        for (int i = 0; i < raw.length() && out.length() < MAX; i++) {
            char c = raw.charAt(i);
            if (c >= 0x20 && c < 0x7f) out.append(c);
            else out.append(String.format("\\u%04x", (int) c));
        }
        if (raw.length() > MAX) out.append("...");
        return out.toString();
    }
}
