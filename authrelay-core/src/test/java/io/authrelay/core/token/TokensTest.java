package io.authrelay.core.token;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokensTest {
    @Test
    void generatedTokensCarry256RandomBitsBehindTheirPrefix() {
        String a = Tokens.generate(Tokens.ADMIN_PREFIX);
        String b = Tokens.generate(Tokens.ADMIN_PREFIX);
        assertThat(a).startsWith("ara_").hasSize(4 + 43).isNotEqualTo(b);
        assertThat(a.substring(4)).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void onlyTheExactTokenMatchesItsHash() {
        String token = Tokens.generate(Tokens.ADMIN_PREFIX);
        String hash = Tokens.hash(token);
        assertThat(hash).hasSize(64).doesNotContain(token.substring(4));
        assertThat(Tokens.matches(token, hash)).isTrue();
        assertThat(Tokens.matches(token + "x", hash)).isFalse();
        assertThat(Tokens.matches(null, hash)).isFalse();
        assertThat(Tokens.matches(token, null)).isFalse();
    }
}
