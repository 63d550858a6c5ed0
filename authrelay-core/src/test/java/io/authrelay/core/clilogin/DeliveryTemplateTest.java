package io.authrelay.core.clilogin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryTemplateTest {
    @Test
    void aValueCannotBreakOutOfItsJsonString() {
        String hostile = "a\",\"refresh_token\":\"stolen\\\n\u2028";
        String filled =
                DeliveryTemplate.fill("{\"token\":\"{{access_token}}\"}", Map.of("access_token", hostile), true);
        assertThat(filled).isEqualTo("{\"token\":\"a\\\",\\\"refresh_token\\\":\\\"stolen\\\\\\u000a\\u2028\"}");
        assertThat(filled.chars().filter(c -> c == '"').count()).isEqualTo(4 + 4); // its own four, and four escaped
    }

    @Test
    void environmentValuesAreTakenAsTheyAre() {
        assertThat(DeliveryTemplate.fill("{{access_token}}", Map.of("access_token", "a\"b$c"), false))
                .isEqualTo("a\"b$c");
    }

    @Test
    void everyNameTheDriversUseIsFilled() {
        assertThat(DeliveryTemplate.fill(
                        "{{now_rfc3339}}/{{expires_at_ms}}",
                        Map.of("now_rfc3339", "2030-01-01T00:00:00Z", "expires_at_ms", "1"),
                        true))
                .isEqualTo("2030-01-01T00:00:00Z/1");
    }

    @Test
    void anUnknownPlaceholderIsAnErrorNotAnEmptyValue() {
        assertThatThrownBy(() -> DeliveryTemplate.fill("{{refresh_token}}", Map.of("access_token", "a"), false))
                .hasMessageContaining("{{refresh_token}}");
    }

    @Test
    void aPlaceholderInsideAValueIsNotFilledAgain() {
        assertThat(DeliveryTemplate.fill(
                        "{{access_token}}:{{account}}", Map.of("access_token", "{{account}}", "account", "me"), false))
                .isEqualTo("{{account}}:me");
    }
}
