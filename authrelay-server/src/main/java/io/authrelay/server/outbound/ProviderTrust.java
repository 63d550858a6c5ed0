package io.authrelay.server.outbound;

import io.authrelay.client.CaBundle;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.net.ssl.X509TrustManager;

/**
 * The JDK's trusted authorities plus a private bundle's (GitHub Enterprise behind a corporate CA), for calls to
 * providers only: a server chain is accepted when either accepts it. Only the trust is widened; the name in the
 * certificate is still checked by the connection.
 */
final class ProviderTrust implements X509TrustManager {
    private final X509TrustManager jdk;
    private final X509TrustManager extra;

    ProviderTrust(X509TrustManager jdk, CaBundle extra) {
        this.jdk = jdk;
        this.extra = extra.trustManager();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            jdk.checkServerTrusted(chain, authType);
        } catch (CertificateException notByTheJdk) {
            try {
                extra.checkServerTrusted(chain, authType);
            } catch (CertificateException notByTheBundle) {
                notByTheJdk.addSuppressed(notByTheBundle);
                throw notByTheJdk;
            }
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("authrelay does not accept TLS clients on its provider connections");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return Stream.concat(Arrays.stream(jdk.getAcceptedIssuers()), Arrays.stream(extra.getAcceptedIssuers()))
                .toArray(X509Certificate[]::new);
    }
}
