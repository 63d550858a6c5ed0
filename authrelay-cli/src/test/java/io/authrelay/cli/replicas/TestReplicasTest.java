package io.authrelay.cli.replicas;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.TestReplicas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The replica harness itself: two real daemons on one database, each answering for what the other wrote. */
class TestReplicasTest {
    @RegisterExtension
    final TestReplicas replicas = TestReplicas.of(2);

    @Test
    void aProviderAddedOnOneReplicaIsServedByTheOtherAndEachSchedulerHasItsOwnName() {
        expect(
                201,
                replicas.replica(0)
                        .send(
                                "POST",
                                "/v1/providers",
                                "{\"name\":\"ghe\",\"type\":\"static\",\"host\":\"git.example.com\"}",
                                replicas.adminToken(0)));
        assertThat(expect(200, replicas.replica(1).send("GET", "/v1/providers", null, replicas.adminToken(1)))
                        .body())
                .contains("\"ghe\"");
        assertThat(replicas.schedulerName(0)).startsWith("replica-").isNotEqualTo(replicas.schedulerName(1));
        assertThat(replicas.url(0)).isNotEqualTo(replicas.url(1));
    }
}
