package io.authrelay.server.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedTextTest {
    @Test
    void leavesShortTextAndNullAlone() {
        assertThat(BoundedText.cap(null, 8)).isNull();
        assertThat(BoundedText.cap("", 8)).isEmpty();
        assertThat(BoundedText.cap("12345678", 8)).isEqualTo("12345678");
    }

    @Test
    void cutsLongTextToTheLimitWithTheMarkIncluded() {
        assertThat(BoundedText.cap("123456789", 8)).isEqualTo("1234567…").hasSize(8);
        assertThat(BoundedText.cap("x".repeat(60_000), 1024)).hasSize(1024).endsWith("…");
    }

    @Test
    void replacesNulWhichPostgresqlCannotStore() {
        assertThat(BoundedText.cap("a\0b", 8)).isEqualTo("a\uFFFDb");
    }

    @Test
    void neverSplitsASurrogatePair() {
        String face = "\uD83D\uDE00"; // one code point, two chars
        String capped = BoundedText.cap("abcdef" + face + "tail", 8);
        assertThat(capped).isEqualTo("abcdef…");
        assertThat(BoundedText.cap("abcde" + face + "tail", 8)).isEqualTo("abcde" + face + "…");
        for (int max = 2; max < 40; max++) {
            String cut = BoundedText.cap(face.repeat(30), max);
            assertThat(cut.length()).isLessThanOrEqualTo(max);
            assertThat(cut).as("max " + max).endsWith("…");
            assertThat(cut.substring(0, cut.length() - 1))
                    .as("max " + max + ": whole pairs only")
                    .isEqualTo(face.repeat((cut.length() - 1) / 2));
        }
    }
}
