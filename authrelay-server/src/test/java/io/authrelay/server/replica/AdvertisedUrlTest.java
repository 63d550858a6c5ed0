package io.authrelay.server.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.server.DaemonOptions;
import io.authrelay.server.ListenAddress;
import io.authrelay.server.StartupRefusal;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdvertisedUrlTest {
    private static final DaemonOptions LOOPBACK = DaemonOptions.loopback(Path.of("/tmp/h"), 0);

    @Test
    void aNamedUrlIsNormalisedAndTheListenAddressIsTheDefault() {
        assertThat(AdvertisedUrl.resolve(
                        Map.of(AdvertisedUrl.ENV, " HTTPS://Authrelay-0.Internal:7878/ "), LOOPBACK, 7878))
                .isEqualTo("https://authrelay-0.internal:7878");
        assertThat(AdvertisedUrl.resolve(Map.of(), LOOPBACK, 4242)).isEqualTo("http://127.0.0.1:4242");
        DaemonOptions everywhere = new DaemonOptions(
                null, new ListenAddress("0.0.0.0", 7878), null, null, null, true, null, null, null, null, null);
        assertThat(AdvertisedUrl.resolve(Map.of(), everywhere, 7878)).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "authrelay-0:7878",
                "ftp://host:21",
                "https://user:pw@host:7878",
                "https://host:7878/prefix",
                "https://host:7878/?x=1",
                "https://host:7878/#frag",
                "https://",
                "https://ho st:7878"
            })
    void anythingButABareHttpOrigin_isRefusedAtStart(String value) {
        assertThatThrownBy(() -> AdvertisedUrl.resolve(Map.of(AdvertisedUrl.ENV, value), LOOPBACK, 7878))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining(AdvertisedUrl.ENV)
                .hasMessageNotContaining("pw@");
    }
}
