package io.authrelay.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificate authorities of a PEM file, as a trust manager. Only what the file holds is trusted: a file that is
 * missing, unreadable, empty or not PEM certificates is an error, never a reason to trust everything. Hostname
 * verification is untouched: the callers' connections keep checking the name in the certificate.
 *
 * @param file the PEM file the authorities were read from, for messages
 */
public record CaBundle(Path file, X509TrustManager trustManager) {
    private static final long MAX_BYTES = 1024 * 1024;

    /** @throws BrokerConfigException with a one-line reason naming {@code what} (the variable or option) */
    public static CaBundle load(Path file, String what) throws BrokerConfigException {
        byte[] pem;
        try {
            if (!Files.isRegularFile(file)) throw new BrokerConfigException(what + ": " + file + " is not a file");
            if (Files.size(file) > MAX_BYTES) throw new BrokerConfigException(what + ": " + file + " is too large");
            pem = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BrokerConfigException(
                    what + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        List<X509Certificate> certificates = certificates(pem, file, what);
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) store.setCertificateEntry("ca-" + i, certificates.get(i));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return new CaBundle(file, x509(factory.getTrustManagers()));
        } catch (GeneralSecurityException | IOException e) {
            throw new BrokerConfigException(what + ": cannot use the certificates in " + file + ": " + e.getMessage());
        }
    }

    /** A TLS socket factory that trusts only this bundle's authorities. */
    public SSLSocketFactory socketFactory() {
        return socketFactory(trustManager);
    }

    /** A TLS socket factory over {@code trust}: the JDK's protocols and key managers, this trust. */
    public static SSLSocketFactory socketFactory(X509TrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no TLS context", e);
        }
    }

    /** The JDK's default trust manager (its cacerts, or javax.net.ssl.trustStore). */
    public static X509TrustManager jdkDefaults() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return x509(factory.getTrustManagers());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's default trust store cannot be loaded", e);
        }
    }

    private static List<X509Certificate> certificates(byte[] pem, Path file, String what) throws BrokerConfigException {
        Collection<? extends Certificate> read;
        try {
            read = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
        } catch (GeneralSecurityException e) {
            throw new BrokerConfigException(what + ": " + file + " is not a PEM certificate bundle");
        }
        if (read.isEmpty()) throw new BrokerConfigException(what + ": " + file + " holds no certificate");
        return read.stream().map(c -> (X509Certificate) c).toList();
    }

    private static X509TrustManager x509(TrustManager[] managers) {
        for (TrustManager manager : managers) if (manager instanceof X509TrustManager x509) return x509;
        throw new IllegalStateException("the JDK's trust manager factory made no X.509 trust manager");
    }
}
