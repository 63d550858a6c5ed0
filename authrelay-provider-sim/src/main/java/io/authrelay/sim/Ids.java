package io.authrelay.sim;

import java.security.SecureRandom;

/** Random identifiers in the shapes real providers use. */
final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** RFC 8628 section 6.1: consonants only, so no words and no look-alikes. */
    private static final char[] USER_CODE = "BCDFGHJKLMNPQRSTVWXZ".toCharArray();

    private Ids() {}

    static String alnum(int n) {
        return pick(ALNUM, n);
    }

    static String hex(int n) {
        return pick(HEX, n);
    }

    /** ABCD-EFGH. */
    static String userCode() {
        String s = pick(USER_CODE, 8);
        return s.substring(0, 4) + "-" + s.substring(4);
    }

    /** Letters only, upper case, no dash: the key under which user codes are looked up. */
    static String normalizeUserCode(String raw) {
        if (raw == null) return "";
        StringBuilder b = new StringBuilder(8);
        for (int i = 0; i < raw.length() && b.length() <= 16; i++) {
            char c = raw.charAt(i);
            if (Character.isLetter(c)) b.append(Character.toUpperCase(c));
        }
        return b.toString();
    }

    private static String pick(char[] alphabet, int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        char[] out = new char[n];
        // alphabets here have <= 62 symbols; 256 % len bias is irrelevant for a simulator
        for (int i = 0; i < n; i++) out[i] = alphabet[(bytes[i] & 0xff) % alphabet.length];
        return new String(out);
    }
}
