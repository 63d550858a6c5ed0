package io.authrelay.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FlavorTest {

    @Test
    void registeredFlavorsAreFoundByNameInAnyCase() {
        assertThat(Flavor.named("oidc")).isSameAs(Flavor.OIDC);
        assertThat(Flavor.named("GitHub")).isSameAs(Flavor.GITHUB);
        assertThat(Flavor.GITHUB.name()).isEqualTo("github");
        assertThat(Flavor.OIDC).hasToString("oidc");
    }

    @Test
    void anUnknownNameIsRefusedWithTheValidNames() {
        assertThatThrownBy(() -> Flavor.named("gitlab"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"gitlab\"")
                .hasMessageContaining("oidc, github");
    }

    @Test
    void eachFlavorHasItsDefaultTokenLifetime() {
        assertThat(SimOptions.defaults(Flavor.OIDC).tokenLifetimeSeconds()).isEqualTo(3600);
        assertThat(SimOptions.defaults(Flavor.GITHUB).tokenLifetimeSeconds()).isZero();
    }
}
