package io.authrelay.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The product version (from the build) and the HTTP API version clients handshake against. */
public final class Version {
    /** Bumped on any incompatible change to /v1; clients refuse daemons outside their supported range. */
    public static final int API_VERSION = 1;

    public static final String PRODUCT = load();

    private Version() {}

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/authrelay-version.properties")) {
            Properties props = new Properties();
            if (in != null) props.load(in);
            return props.getProperty("version", "dev");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
