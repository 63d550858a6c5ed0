package io.authrelay.server.http;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.client.BrokerClient;
import io.authrelay.client.BrokerConfig;
import io.authrelay.client.BrokerUnreachableException;
import io.authrelay.client.RetryClassifier;
import io.authrelay.server.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A client pointed at the daemon with the wrong scheme is told the one-line fix, not "is the daemon running?". */
class WrongSchemeTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.inProcess();

    @Test
    void anHttpsUrlAtThePlainHttpDaemonSaysToUseHttp() {
        String https = broker.url().replace("http:", "https:");
        BrokerClient client = new BrokerClient(
                BrokerConfig.of(https, "arw_x").withTimeoutMillis(5_000), RetryClassifier.defaults(), null, null);
        assertThatThrownBy(() -> client.send("GET", "/v1/version", null))
                .isInstanceOf(BrokerUnreachableException.class)
                .hasMessage("authrelay: the broker at " + https + " does not speak TLS: if the daemon listens on"
                        + " plain http, use " + broker.url());
    }
}
