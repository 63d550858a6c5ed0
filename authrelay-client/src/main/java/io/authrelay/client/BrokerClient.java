package io.authrelay.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;

/**
 * Requests to the broker, with one overall deadline ({@link BrokerConfig#timeoutMillis()}) that covers every attempt
 * and backoff sleep. Each attempt runs as an {@link Exchange}, so the caller stops waiting at the deadline whatever
 * the server does. Transient failures are retried as {@link RetryClassifier} decides. With {@code AUTHRELAY_DEBUG=1}
 * each attempt is traced to stderr, secrets masked. The token travels only in the {@code Authorization} header.
 */
public final class BrokerClient {
    /** One HTTP answer; {@code attempts} is how many tries it took. */
    public record Response(int status, String body, String retryAfter, int attempts) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final BrokerConfig config;
    private final Transport transport;
    private final RetryClassifier retry;
    private final RandomGenerator random;
    private final PrintStream debug;
    private final Timekeeper time;
    private final Redactor redactor = new Redactor();

    /** @param err where debug lines go when {@link BrokerConfig#debug()} is on */
    public BrokerClient(BrokerConfig config, PrintStream err) {
        this(config, RetryClassifier.defaults(), null, err);
    }

    /** @param random jitter source; null for a fresh one */
    public BrokerClient(BrokerConfig config, RetryClassifier retry, RandomGenerator random, PrintStream err) {
        this(config, retry, random, err, Timekeeper.SYSTEM);
    }

    BrokerClient(BrokerConfig config, RetryClassifier retry, RandomGenerator random, PrintStream err, Timekeeper time) {
        this.config = config;
        this.time = time;
        this.transport = Transport.to(config.endpoint());
        this.retry = retry;
        this.random = random != null ? random : new java.util.SplittableRandom();
        this.debug = config.debug() && err != null ? err : null;
        redactor.register(config.token());
    }

    public BrokerConfig config() {
        return config;
    }

    /** Masks the token and every secret this client was told about. */
    public Redactor redactor() {
        return redactor;
    }

    /** One request with retries inside the configured deadline. */
    public Response send(String method, String path, String jsonBody) throws BrokerUnreachableException {
        return send(method, path, jsonBody, config.timeoutMillis());
    }

    /**
     * One request with retries inside {@code deadlineMillis}. Returns the final HTTP answer (which may be a 503 after
     * the last retry); throws only when no answer came at all, or when the endpoint failed its proof.
     */
    public Response send(String method, String path, String jsonBody, long deadlineMillis)
            throws BrokerUnreachableException {
        Transport.Request request = new Transport.Request(
                method, path, config.token(), jsonBody == null ? null : jsonBody.getBytes(StandardCharsets.UTF_8));
        long deadline = time.nanoTime() + deadlineMillis * 1_000_000L;
        IOException lastError = null;
        Response lastResponse = null;
        boolean timedOut = false;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            long attemptStart = time.nanoTime();
            Response response = null;
            IOException error = null;
            try {
                response = Exchange.run(transport, request, millisUntil(deadline), attempt);
                lastResponse = response;
            } catch (HomeSocketTransport.UntrustedBrokerException e) {
                throw new BrokerUnreachableException(ErrorMessages.PREFIX + e.getMessage(), e);
            } catch (IOException e) {
                error = e;
                lastError = e;
                timedOut = e instanceof InterruptedIOException || millisUntil(deadline) <= 0;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new BrokerUnreachableException(
                        ErrorMessages.PREFIX + "interrupted while waiting for the broker", error);
            }
            Integer status = response == null ? null : response.status();
            RetryClassifier.Decision decision = retry.decide(
                    status,
                    error,
                    response == null ? null : response.retryAfter(),
                    attempt,
                    millisUntil(deadline),
                    random.nextDouble());
            trace(request, attempt, status, error, attemptStart, decision);
            if (decision.action() != RetryClassifier.Action.RETRY) {
                if (response != null) return response;
                // an earlier answer (say a 503) tells more than the last attempt's timeout
                if (lastResponse != null) return lastResponse;
                break;
            }
            sleep(Math.min(decision.sleepMillis(), Math.max(0, millisUntil(deadline))));
        }
        throw new BrokerUnreachableException(
                ErrorMessages.unreachable(config.endpoint(), timedOut, deadlineMillis, lastError), lastError);
    }

    private void sleep(long millis) throws BrokerUnreachableException {
        try {
            time.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnreachableException(ErrorMessages.PREFIX + "interrupted while waiting for the broker", e);
        }
    }

    private long millisUntil(long deadlineNanos) {
        return Math.floorDiv(deadlineNanos - time.nanoTime(), 1_000_000L);
    }

    private void trace(
            Transport.Request request,
            int attempt,
            Integer status,
            IOException error,
            long startNanos,
            RetryClassifier.Decision decision) {
        if (debug == null) return;
        long elapsed = (time.nanoTime() - startNanos) / 1_000_000L;
        String outcome = status != null
                ? "HTTP " + status
                : error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        debug.println(redactor.redact(ErrorMessages.PREFIX + "debug: " + request.method() + " "
                + config.endpoint().describe() + request.path() + " attempt " + attempt + "/" + retry.maxAttempts()
                + ": " + ErrorMessages.clean(outcome) + " in " + elapsed + " ms: " + decision.describe()));
    }
}
