package io.authrelay.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one rule for "this machine" that lets a credential go unencrypted (OAuth over http, PostgreSQL without TLS). */
class LoopbackTest {
    @Test
    void literalNamesOfThisMachineOnly() {
        for (String host : new String[] {
            "localhost", "LocalHost", "127.0.0.1", "127.255.0.9", "::1", "[::1]", "0:0:0:0:0:0:0:1", "[0:0:0:0:0:0:0:1]"
        }) {
            assertThat(Loopback.isLiteral(host)).as(host).isTrue();
        }
        for (String host : new String[] {
            null,
            "",
            "localhost.",
            "localhost.evil.test",
            "127.0.0.1.evil.test",
            "127.1",
            "127.0.0.256",
            "127.999.0.1",
            "127.0.0.01x",
            "128.0.0.1",
            "0.0.0.0",
            "[::ffff:127.0.0.1]",
            "::2",
            "ⅼocalhost", // U+217C, a lookalike l
            "localhost\u0000",
            "１２７.0.0.1", // fullwidth digits
            "127.0.0.1%2e",
            "evil.test"
        }) {
            assertThat(Loopback.isLiteral(host)).as(String.valueOf(host)).isFalse();
        }
    }
}
