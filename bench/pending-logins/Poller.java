import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The old design as a minimal JVM helper: one process per pending login, same logic as poller.js
 * (device code, then a token poll every interval + max(1 s, interval/5), +5 s on slow_down).
 * JDK only (HttpURLConnection, keep-alive), no JSON library. Usage: java Poller http://127.0.0.1:PORT [client_id]
 */
public final class Poller {
    public static void main(String[] args) throws Exception {
        String base = args[0], client = args.length > 1 ? args[1] : "bench";
        String code = post(base + "/login/device/code", "client_id=" + enc(client));
        String deviceCode = field(code, "device_code"), userCode = field(code, "user_code");
        int interval = Integer.parseInt(field(code, "interval"));
        System.out.println(userCode);
        System.out.flush();
        while (true) {
            Thread.sleep(interval * 1000L + Math.max(1000, interval * 200L));
            String res;
            try {
                res = post(base + "/login/oauth/access_token", "client_id=" + enc(client) + "&device_code=" + enc(deviceCode)
                        + "&grant_type=" + enc("urn:ietf:params:oauth:grant-type:device_code"));
            } catch (IOException e) {
                continue;
            }
            String error = field(res, "error");
            if ("authorization_pending".equals(error)) continue;
            if ("slow_down".equals(error)) { interval += 5; continue; }
            System.err.println(error == null ? "connected" : error);
            System.exit(error == null ? 0 : 1);
        }
    }

    static String post(String url, String form) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Accept", "application/json");
        c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        try (OutputStream out = c.getOutputStream()) { out.write(form.getBytes(StandardCharsets.UTF_8)); }
        try (InputStream in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]*)").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
