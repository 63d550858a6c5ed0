package io.authrelay.sim;

import io.javalin.http.Context;

/** The page a verification URI opens: a form that approves a code through {@code /sim/approve}. */
final class DevicePage {
    private DevicePage() {}

    static void show(Context ctx, String flavorName) {
        String code = ctx.queryParam("user_code");
        String shown = code == null ? "" : html(code);
        String page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Device activation</title></head><body>"
                + "<h1>Device activation (" + flavorName + " simulator)</h1>"
                + "<p>Enter your code</p>"
                + "<form method=\"post\" action=\"/sim/approve\">"
                + "<label>Code <input name=\"user_code\" value=\"" + shown + "\" autocomplete=\"off\"></label> "
                + "<label>Login <input name=\"login\" value=\"" + GrantState.DEFAULT_LOGIN + "\"></label> "
                + "<button type=\"submit\">Approve</button></form>"
                + (code == null ? "" : "<p>Code: <code>" + shown + "</code></p>")
                + "</body></html>";
        ctx.status(200).contentType("text/html; charset=utf-8").result(page);
    }

    /** Escaped for HTML text and attributes, and cut at 64 characters: a user code is 9. */
    private static String html(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
