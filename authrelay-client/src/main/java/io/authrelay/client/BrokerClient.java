package io.authrelay.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The workspace side of the broker API over {@link HttpURLConnection} (much cheaper to start than
 * {@code java.net.http.HttpClient}). Every call has one overall deadline ({@link ClientConfig#timeoutMillis()},
 * 10 s by default) that covers all attempts and backoff sleeps; each attempt connects within 2 s and reads
 * within whatever is left, and the caller stops waiting at the deadline whatever the server does. Transient failures are
 * retried as {@link RetryClassifier} decides. With {@code AUTHRELAY_DEBUG=1} each attempt is traced to
 * stderr, secrets masked. The token travels only in the {@code Authorization} header.
 */
public final class BrokerClient {
    public static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    /** Error reports ({@code erase}) are best effort and must not hold git up. */
    public static final long REJECT_TIMEOUT_MILLIS = 3_000;

    static final int MAX_RESPONSE_BYTES = 1 << 20;

    static {
        // HttpURLConnection silently re-sends a request once when a kept-alive connection fails; retries are
        // ours to decide (and to count against the deadline). Read once, when its HTTP client class loads.
        if (System.getProperty("sun.net.http.retryPost") == null) System.setProperty("sun.net.http.retryPost", "false");
    }

    /** One HTTP answer; {@code attempts} is how many tries it took. */
    public record Response(int status, String body, String retryAfter, int attempts) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final ClientConfig config;
    private final RetryClassifier retry;
    private final RandomGenerator random;
    private final PrintStream debug;
    private final Redactor redactor = new Redactor();

    /** @param err where debug lines go when {@link ClientConfig#debug()} is on */
    public BrokerClient(ClientConfig config, PrintStream err) {
        this(config, RetryClassifier.defaults(), null, err);
    }

    /** @param random jitter source; null for a fresh one */
    public BrokerClient(ClientConfig config, RetryClassifier retry, RandomGenerator random, PrintStream err) {
        this.config = config;
        this.retry = retry;
        this.random = random != null ? random : new java.util.SplittableRandom();
        this.debug = config.debug() ? err : null;
        redactor.register(config.token());
    }

    public ClientConfig config() {
        return config;
    }

    /** Masks the token and every password this client has seen. */
    public Redactor redactor() {
        return redactor;
    }

    // ------------------------------------------------------------------ API

    /** {@code POST /v1/vend}, classified. Never throws for broker or network trouble. */
    public VendResult vend(VendRequest request) {
        if (!config.hasToken()) return new VendResult.Failed("no_token", ErrorMessages.noToken(), true);
        Response response;
        try {
            response = send("POST", "/v1/vend", request.toJson(), config.timeoutMillis());
        } catch (BrokerUnreachableException e) {
            return new VendResult.Failed("unreachable", e.getMessage(), false);
        }
        if (response.ok()) return granted(response);
        BrokerError error = BrokerError.of(response);
        String message = ErrorMessages.forError(error, request.subject(), request.provider());
        if (response.status() == 404 && error.is("unknown_host")) return new VendResult.NotOurs(message);
        boolean definitive = !(RetryClassifier.isRetryableStatus(response.status()) || response.status() >= 500);
        return new VendResult.Failed(
                error.code() == null ? "http_" + response.status() : error.code(), message, definitive);
    }

    private VendResult granted(Response response) {
        try {
            Map<String, Object> body = MiniJson.parseObject(response.body());
            String username = MiniJson.string(body, "username");
            String password = MiniJson.string(body, "password");
            Object expiry = body.get("password_expiry_utc");
            if (username == null
                    || password == null
                    || password.isEmpty()
                    || expiry != null && !(expiry instanceof Long)) {
                return badResponse("the credential lacks a username or password");
            }
            redactor.register(password);
            return new VendResult.Granted(MiniJson.string(body, "provider"), username, password, (Long) expiry);
        } catch (MiniJson.JsonException e) {
            return badResponse("the answer is not JSON");
        }
    }

    private VendResult badResponse(String what) {
        return new VendResult.Failed(
                "bad_response",
                ErrorMessages.PREFIX + "unexpected answer from the broker at " + config.url() + " (" + what
                        + "): check that AUTHRELAY_URL points at authrelay",
                true);
    }

    /** {@code POST /v1/vend/reject}, best effort with a short deadline; true when the broker took it. */
    public boolean reject(VendRequest request) {
        if (!config.hasToken()) return false;
        try {
            return send(
                            "POST",
                            "/v1/vend/reject",
                            request.toRejectJson(),
                            Math.min(REJECT_TIMEOUT_MILLIS, config.timeoutMillis()))
                    .ok();
        } catch (BrokerUnreachableException e) {
            return false;
        }
    }

    /** {@code GET /v1/workspace}. */
    public WorkspaceInfo workspace() throws BrokerUnreachableException, BrokerException {
        if (!config.hasToken()) throw new BrokerException(ErrorMessages.noToken(), null);
        Response response = send("GET", "/v1/workspace", null, config.timeoutMillis());
        if (!response.ok()) {
            BrokerError error = BrokerError.of(response);
            throw new BrokerException(ErrorMessages.forError(error, "this workspace", null), error);
        }
        try {
            return WorkspaceInfo.parse(response.body());
        } catch (MiniJson.JsonException e) {
            throw new BrokerException(
                    ErrorMessages.PREFIX + "unexpected answer from the broker at " + config.url(), null);
        }
    }

    // ------------------------------------------------------------------ transport

    /** One request with retries inside the configured deadline. */
    public Response send(String method, String path, String jsonBody) throws BrokerUnreachableException {
        return send(method, path, jsonBody, config.timeoutMillis());
    }

    /**
     * One request with retries inside {@code deadlineMillis}. Returns the final HTTP answer (which may be a
     * 503 after the last retry); throws only when no answer came at all.
     */
    public Response send(String method, String path, String jsonBody, long deadlineMillis)
            throws BrokerUnreachableException {
        URL url = url(path);
        byte[] body = jsonBody == null ? null : jsonBody.getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        long deadline = start + deadlineMillis * 1_000_000L;
        IOException lastError = null;
        Response lastResponse = null;
        boolean timedOut = false;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            long attemptStart = System.nanoTime();
            long remaining = millisUntil(deadline);
            Integer status = null;
            Response response = null;
            IOException error = null;
            try {
                response = attempt(url, method, body, remaining, attempt);
                status = response.status();
                lastResponse = response;
            } catch (IOException e) {
                error = e;
                lastError = e;
                timedOut = e instanceof InterruptedIOException || millisUntil(deadline) <= 0;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new BrokerUnreachableException(
                        ErrorMessages.PREFIX + "interrupted while waiting for the broker", error);
            }
            remaining = millisUntil(deadline);
            RetryClassifier.Decision decision = retry.decide(
                    status,
                    error,
                    response == null ? null : response.retryAfter(),
                    attempt,
                    remaining,
                    random.nextDouble());
            trace(method, url, attempt, status, error, attemptStart, decision);
            if (decision.action() != RetryClassifier.Action.RETRY) {
                if (response != null) return response;
                // an earlier answer (say a 503) tells more than the last attempt's timeout
                if (lastResponse != null) return lastResponse;
                break;
            }
            if (decision.sleepMillis() > 0) {
                try {
                    Thread.sleep(Math.min(decision.sleepMillis(), Math.max(0, millisUntil(deadline))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BrokerUnreachableException(
                            ErrorMessages.PREFIX + "interrupted while waiting for the broker", e);
                }
            }
        }
        throw new BrokerUnreachableException(
                ErrorMessages.unreachable(config.url(), timedOut, deadlineMillis), lastError);
    }

    /**
     * One exchange, run on its own daemon thread so the caller can stop waiting at the deadline whatever
     * phase the exchange is in (HttpURLConnection cannot be cut off reliably while a body is being read).
     * An abandoned exchange ends by itself when its read timeout passes.
     */
    private Response attempt(URL url, String method, byte[] body, long remainingMillis, int attempt)
            throws IOException {
        if (remainingMillis <= 0) throw new SocketTimeoutException("deadline reached before the attempt");
        Exchange exchange = new Exchange(this, url, method, body, remainingMillis, attempt);
        exchange.start();
        try {
            exchange.join(remainingMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.abandon();
            throw new java.io.InterruptedIOException("interrupted");
        }
        if (exchange.isAlive()) {
            exchange.abandon();
            throw new SocketTimeoutException("deadline reached after " + remainingMillis + " ms");
        }
        if (exchange.failure instanceof IOException e) throw e;
        if (exchange.failure instanceof RuntimeException e) throw new IOException("cannot send the request: " + e, e);
        if (exchange.failure != null) throw new IOException(exchange.failure);
        return exchange.response;
    }

    private Response exchange(
            HttpURLConnection connection, String method, byte[] body, long remainingMillis, int attempt)
            throws IOException {
        connection.setRequestMethod(method);
        connection.setConnectTimeout((int) Math.max(1, Math.min(CONNECT_TIMEOUT_MILLIS, remainingMillis)));
        connection.setReadTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, remainingMillis)));
        connection.setUseCaches(false);
        connection.setInstanceFollowRedirects(false);
        connection.setRequestProperty("Accept", "application/json");
        connection.setRequestProperty("User-Agent", "authrelay-client");
        if (config.hasToken()) connection.setRequestProperty("Authorization", "Bearer " + config.token());
        if (body != null) {
            // Not streaming mode: in streaming mode HttpURLConnection drops the body of a 401, which says
            // whether the token was revoked, expired or never valid. The body is tiny anyway.
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        if (status < 100) throw new ProtocolException("not an HTTP response");
        InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        String text = in == null ? "" : readBounded(in);
        return new Response(status, text, connection.getHeaderField("Retry-After"), attempt);
    }

    /** The thread running one exchange. */
    private static final class Exchange extends Thread {
        private final BrokerClient client;
        private final URL url;
        private final String method;
        private final byte[] body;
        private final long remainingMillis;
        private final int attempt;
        private volatile HttpURLConnection connection;
        private volatile boolean abandoned;
        Response response;
        Throwable failure;

        Exchange(BrokerClient client, URL url, String method, byte[] body, long remainingMillis, int attempt) {
            super("authrelay-http");
            setDaemon(true);
            this.client = client;
            this.url = url;
            this.method = method;
            this.body = body;
            this.remainingMillis = remainingMillis;
            this.attempt = attempt;
        }

        @Override
        public void run() {
            try {
                HttpURLConnection c = (HttpURLConnection) url.openConnection();
                connection = c;
                if (abandoned) return;
                response = client.exchange(c, method, body, remainingMillis, attempt);
            } catch (Throwable t) {
                failure = t;
            }
        }

        /** Stop waiting; close the connection so the thread ends soon (disconnect may block, so not on the caller). */
        void abandon() {
            abandoned = true;
            HttpURLConnection c = connection;
            if (c == null) return;
            Thread closer = new Thread(new Disconnect(c), "authrelay-http-close");
            closer.setDaemon(true);
            closer.start();
        }
    }

    private record Disconnect(HttpURLConnection connection) implements Runnable {
        @Override
        public void run() {
            connection.disconnect();
        }
    }

    private static String readBounded(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(512);
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_RESPONSE_BYTES)
                    throw new ProtocolException("response larger than " + MAX_RESPONSE_BYTES + " bytes");
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private URL url(String path) {
        try {
            return URI.create(config.url().toString() + path).toURL();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("bad broker path " + path, e);
        }
    }

    private static long millisUntil(long deadlineNanos) {
        return Math.floorDiv(deadlineNanos - System.nanoTime(), 1_000_000L);
    }

    private void trace(
            String method,
            URL url,
            int attempt,
            Integer status,
            IOException error,
            long startNanos,
            RetryClassifier.Decision decision) {
        if (debug == null) return;
        long elapsed = (System.nanoTime() - startNanos) / 1_000_000L;
        String outcome = status != null
                ? "HTTP " + status
                : error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        debug.println(redactor.redact(ErrorMessages.PREFIX + "debug: " + method + " " + url + " attempt " + attempt
                + "/" + retry.maxAttempts() + ": " + ErrorMessages.clean(outcome) + " in " + elapsed + " ms: "
                + decision.describe()));
    }
}
