package io.authrelay.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;

/**
 * One attempt, run on its own daemon thread so the caller can stop waiting at its deadline whatever phase the exchange
 * is in (neither HttpURLConnection nor a blocking socket channel can be cut off reliably while a body is being read).
 * An abandoned exchange is closed from yet another thread, since closing may block too.
 */
final class Exchange extends Thread {
    private final Transport transport;
    private final Transport.Request request;
    private final long remainingMillis;
    private final int attempt;
    private volatile Closeable connection;
    private volatile boolean abandoned;
    private BrokerClient.Response response;
    private Throwable failure;

    private Exchange(Transport transport, Transport.Request request, long remainingMillis, int attempt) {
        super("authrelay-http");
        setDaemon(true);
        this.transport = transport;
        this.request = request;
        this.remainingMillis = remainingMillis;
        this.attempt = attempt;
    }

    static BrokerClient.Response run(Transport transport, Transport.Request request, long remainingMillis, int attempt)
            throws IOException {
        if (remainingMillis <= 0) throw new SocketTimeoutException("deadline reached before the attempt");
        Exchange exchange = new Exchange(transport, request, remainingMillis, attempt);
        exchange.start();
        try {
            exchange.join(remainingMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.abandon();
            throw new InterruptedIOException("interrupted");
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

    @Override
    public void run() {
        try {
            response = transport.exchange(request, remainingMillis, attempt, this::opened);
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void opened(Closeable c) {
        connection = c;
        if (abandoned) closeQuietly(c);
    }

    private void abandon() {
        abandoned = true;
        Closeable c = connection;
        if (c == null) return;
        Thread closer = new Thread(() -> closeQuietly(c), "authrelay-http-close");
        closer.setDaemon(true);
        closer.start();
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // the exchange is abandoned; nobody waits for its outcome
        }
    }
}
