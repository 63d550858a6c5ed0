package io.authrelay.cli.replicas;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.TestBroker;
import io.authrelay.server.testing.TestReplicas;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.IntStream;
import tools.jackson.databind.JsonNode;

/** Many providers and a pending device login for each, spread over the replicas. */
final class Logins {
    /** Requests in flight at once while creating: enough to be quick, few enough for two shared cores. */
    private static final int CONCURRENCY = 4;

    private Logins() {}

    /**
     * Adds {@code count} providers named PREFIX0.. ({@code providerJson} makes each one's body) and starts a login for
     * each; provider {@code i} is added through replica {@code i}, its login started through the next replica.
     */
    static List<Login> start(TestReplicas replicas, int count, String prefix, Function<String, String> providerJson) {
        try (ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY)) {
            List<Future<Login>> started = IntStream.range(0, count)
                    .mapToObj(i -> pool.submit(() -> {
                        String name = prefix + i;
                        var adding = replicas.replica(i % replicas.size());
                        expect(201, adding.send("POST", "/v1/providers", providerJson.apply(name)));
                        var starting = replicas.replica((i + 1) % replicas.size());
                        JsonNode login = expect(
                                        201, starting.send("POST", "/v1/logins", "{\"provider\":\"" + name + "\"}"))
                                .json();
                        return new Login(
                                login.path("session").asString(),
                                login.path("user_code").asString(),
                                name);
                    }))
                    .toList();
            return started.stream()
                    .map(future -> {
                        try {
                            return future.get();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new AssertionError(e);
                        } catch (java.util.concurrent.ExecutionException e) {
                            throw new AssertionError(e.getCause());
                        }
                    })
                    .toList();
        }
    }

    /** Waits until every login is connected, read through {@code replica}; returns when the last one was seen so. */
    static long awaitAllConnected(TestBroker replica, List<Login> logins, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Set<String> pending = new HashSet<>(logins.stream().map(Login::session).toList());
        while (!pending.isEmpty() && Instant.now().isBefore(deadline)) {
            for (String session : List.copyOf(pending)) {
                JsonNode login = expect(200, replica.send("GET", "/v1/logins/" + session, null))
                        .json();
                String status = login.path("status").asString();
                assertThat(status).as(session + ": " + login).isIn("pending", "awaiting_user", "connected");
                if (status.equals("connected")) pending.remove(session);
            }
            if (!pending.isEmpty()) TestBroker.pause(200);
        }
        assertThat(pending).as("logins not connected within " + timeout).isEmpty();
        return System.currentTimeMillis();
    }
}
