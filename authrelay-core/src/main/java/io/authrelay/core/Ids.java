package io.authrelay.core;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Row ids for things people name: random, so they reveal neither order nor count, behind a prefix that says what they are. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    /** {@code prefix} and 64 random bits in hex, e.g. {@code ws_3f9c0a1b2c3d4e5f}. */
    public static String random(String prefix) {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }
}
