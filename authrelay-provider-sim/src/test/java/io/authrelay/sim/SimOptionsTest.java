package io.authrelay.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SimOptionsTest {

    @Test
    void eachWitherChangesItsOwnFieldOnly() {
        SimOptions base = SimOptions.defaults(Flavor.OIDC);
        assertThat(base).isEqualTo(new SimOptions("127.0.0.1", 0, Flavor.OIDC, 5, 900, 3600));
        assertThat(base.withHost("::1")).isEqualTo(new SimOptions("::1", 0, Flavor.OIDC, 5, 900, 3600));
        assertThat(base.withPort(8787)).isEqualTo(new SimOptions("127.0.0.1", 8787, Flavor.OIDC, 5, 900, 3600));
        assertThat(base.withFlavor(Flavor.GITHUB))
                .isEqualTo(new SimOptions("127.0.0.1", 0, Flavor.GITHUB, 5, 900, 3600));
        assertThat(base.withIntervalSeconds(1)).isEqualTo(new SimOptions("127.0.0.1", 0, Flavor.OIDC, 1, 900, 3600));
        assertThat(base.withCodeLifetimeSeconds(30))
                .isEqualTo(new SimOptions("127.0.0.1", 0, Flavor.OIDC, 5, 30, 3600));
        assertThat(base.withTokenLifetimeSeconds(0)).isEqualTo(new SimOptions("127.0.0.1", 0, Flavor.OIDC, 5, 900, 0));
    }

    @Test
    void witherValuesAreCheckedLikeTheConstructorsAre() {
        assertThat(SimOptions.defaults(Flavor.GITHUB).withHost(" ").host()).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> SimOptions.defaults(Flavor.GITHUB).withPort(65536))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimOptions.defaults(Flavor.GITHUB).withCodeLifetimeSeconds(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimOptions.defaults(Flavor.GITHUB).withFlavor(null))
                .isInstanceOf(NullPointerException.class);
    }
}
