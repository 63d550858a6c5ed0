package io.authrelay.core.removal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderUsageTest {
    @Test
    void describesWhatWouldGoInOneLine() {
        assertThat(new ProviderUsage(true, List.of("b", "a", "b"), 2).describe())
                .isEqualTo("the credential, 3 grants in workspaces a, b and 2 login sessions");
        assertThat(new ProviderUsage(false, List.of("ws"), 1).describe())
                .isEqualTo("1 grant in workspace ws and 1 login session");
        assertThat(new ProviderUsage(true, List.of(), 0).describe()).isEqualTo("the credential");
        assertThat(new ProviderUsage(false, List.of(), 0).describe()).isEmpty();
    }

    @Test
    void onlyACredentialOrAGrantTakesForce() {
        assertThat(new ProviderUsage(false, List.of(), 5).needsForce()).isFalse();
        assertThat(new ProviderUsage(true, List.of(), 0).needsForce()).isTrue();
        assertThat(new ProviderUsage(false, List.of("ws"), 0).needsForce()).isTrue();
    }
}
