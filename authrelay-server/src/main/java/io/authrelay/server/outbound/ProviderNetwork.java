package io.authrelay.server.outbound;

import io.authrelay.client.BrokerConfigException;
import io.authrelay.client.CaBundle;
import io.authrelay.server.StartupRefusal;
import java.net.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * How the daemon reaches providers: through the environment's proxy ({@link ProxyEnvironment}) and trusting the JDK's
 * authorities plus those of {@code AUTHRELAY_PROVIDER_CA_FILE} ({@code --provider-ca-file}), when it is set. Read once
 * at start; a bad file or variable refuses the start.
 *
 * @param tls null for the JDK's default socket factory
 * @param caFile the extra bundle, or null
 */
public record ProviderNetwork(ProxyEnvironment proxies, SSLSocketFactory tls, Path caFile) {
    public static final String CA_FILE_VARIABLE = "AUTHRELAY_PROVIDER_CA_FILE";

    /** Direct connections and the JDK's trust: for tests and tools that have no environment to honour. */
    public static ProviderNetwork direct() {
        return new ProviderNetwork(new ProxyEnvironment(null, NoProxy.none()), null, null);
    }

    public static ProviderNetwork from(Map<String, String> env) {
        ProxyEnvironment proxies = ProxyEnvironment.from(env);
        String file = env.get(CA_FILE_VARIABLE);
        if (file == null || file.isBlank()) return new ProviderNetwork(proxies, null, null);
        Path caFile = Path.of(file.strip());
        try {
            CaBundle bundle = CaBundle.load(caFile, "--provider-ca-file");
            return new ProviderNetwork(
                    proxies, CaBundle.socketFactory(new ProviderTrust(CaBundle.jdkDefaults(), bundle)), caFile);
        } catch (BrokerConfigException e) {
            throw new StartupRefusal(e.getMessage());
        }
    }

    /** The same trust as {@link #tls()}, as the TLS context Jetty's client takes (the credential relay's upstreams). */
    public SSLContext sslContext() {
        try {
            X509TrustManager trust = caFile == null
                    ? CaBundle.jdkDefaults()
                    : new ProviderTrust(CaBundle.jdkDefaults(), CaBundle.load(caFile, "--provider-ca-file"));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (BrokerConfigException e) {
            throw new StartupRefusal(e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no TLS context", e);
        }
    }

    public Proxy proxyFor(URI url) {
        return proxies.select(url);
    }

    /** For /v1/status: the proxies and the extra CA bundle, if any. */
    public Map<String, Object> describe() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("proxy", proxies.describe());
        facts.put("ca_file", caFile == null ? "none" : caFile.toString());
        return facts;
    }
}
