package io.authrelay.server.http;

import io.authrelay.server.StartupRefusal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Builds Jetty's TLS context from the PEM certificate chain and PKCS#8 key operators already have. */
public final class PemTls {
    private static final Pattern PKCS8 =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private PemTls() {}

    public static SslContextFactory.Server contextFactory(Path certFile, Path keyFile) {
        char[] password = new char[0];
        try {
            Certificate[] chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certFile)))
                    .toArray(new Certificate[0]);
            if (chain.length == 0) throw new StartupRefusal("no certificate found in " + certFile);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("authrelay", privateKey(keyFile), password, chain);
            SslContextFactory.Server factory = new SslContextFactory.Server();
            factory.setKeyStore(store);
            factory.setKeyStorePassword("");
            return factory;
        } catch (IOException e) {
            throw new StartupRefusal("cannot read TLS files: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new StartupRefusal("invalid TLS certificate or key: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path keyFile) throws IOException, GeneralSecurityException {
        String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            throw new StartupRefusal("TLS key " + keyFile + " is not an unencrypted PKCS#8 PEM key:"
                    + " convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        PKCS8EncodedKeySpec spec =
                new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException tryNext) {
                // the PEM does not say which algorithm; the first factory that accepts it wins
            }
        }
        throw new StartupRefusal("TLS key " + keyFile + " is not an RSA, EC or Ed25519 key");
    }
}
