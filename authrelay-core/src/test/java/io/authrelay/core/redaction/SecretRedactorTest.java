package io.authrelay.core.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {
    @Test
    void masksRegisteredSecretsAndTheirJsonEscapedForm() {
        String secret = "pa\"ss\\" + UUID.randomUUID();
        SecretRedactor.register(secret);
        String escaped = secret.replace("\\", "\\\\").replace("\"", "\\\"");

        assertThat(SecretRedactor.redact("value=" + secret + " end")).isEqualTo("value=[REDACTED] end");
        assertThat(SecretRedactor.redact("{\"msg\":\"" + escaped + "\"}"))
                .doesNotContain(escaped)
                .contains("[REDACTED]");
    }

    @Test
    void masksTokenShapedStringsNobodyRegistered() {
        String gh = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
        String pat = "github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz";
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        String sk = "sk-" + "ant-api03-abcdefghijklmnop";
        String text = String.join(
                " ", gh, pat, jwt, sk, "ara_" + "x".repeat(43), "arw_" + "x".repeat(43), "art_" + "x".repeat(43));

        assertThat(SecretRedactor.redact(text))
                .isEqualTo(String.join(" ", java.util.Collections.nCopies(7, "[REDACTED]")));
    }

    @Test
    void leavesOrdinaryTextAndShortValuesAlone() {
        SecretRedactor.register("abc");
        assertThat(SecretRedactor.redact("abc skeleton github.com sk-short"))
                .isEqualTo("abc skeleton github.com sk-short");
    }

    @Test
    void masksEveryOccurrenceAmongThousandsOfSecretsAndOverlapsAsOne() {
        java.util.List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < 10_000; i++)
            many.add("dc" + UUID.randomUUID().toString().replace("-", ""));
        many.forEach(SecretRedactor::register);
        String a = many.get(1234), b = many.get(9876);
        assertThat(SecretRedactor.redact("x " + a + " y " + b + a + " z " + a))
                .isEqualTo("x [REDACTED] y [REDACTED][REDACTED] z [REDACTED]");

        String outer = "overlap-" + UUID.randomUUID(),
                inner = outer.substring(4, 20),
                tail = outer.substring(10) + "-tail";
        SecretRedactor.register(outer);
        SecretRedactor.register(inner);
        SecretRedactor.register(tail);
        assertThat(SecretRedactor.redact("<" + outer + "-tail>")).isEqualTo("<[REDACTED]>");
        assertThat(SecretRedactor.redact("<" + inner + ">")).isEqualTo("<[REDACTED]>");

        SecretRedactor.forget(a);
        assertThat(SecretRedactor.redact("x " + a)).isEqualTo("x " + a);
        many.forEach(SecretRedactor::forget);
    }
}
