package io.hubgate.tls;

import java.security.NoSuchAlgorithmException;
import java.security.KeyManagementException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Translates CHP's {@code --ssl-protocol} value — an OpenSSL method name without the {@code _method}
 * suffix — into the JDK protocol list to enable.
 *
 * <p>{@code TLSv1_2}, {@code TLSv1_1}, {@code TLSv1} pin that one version. {@code TLSv1_3} pins TLS 1.3
 * (CHP rejects this name — CHP#303 — Hubgate accepts it). {@code SSLv23} and {@code TLS} mean "whatever
 * the library negotiates", i.e. the JDK's default set (TLS 1.3 and 1.2); so does an empty value, which
 * CHP ignores. The JDK spellings
 * ({@code TLSv1.2} …) are accepted too. A version the JVM has disabled ({@code jdk.tls.disabledAlgorithms},
 * which by default lists TLSv1 and TLSv1.1) is refused at startup rather than producing a listener on
 * which every handshake fails.
 */
final class OpenSslProtocol {

    private static final Map<String, String> PINNED = Map.of(
            "TLSv1", "TLSv1",
            "TLSv1_1", "TLSv1.1",
            "TLSv1_2", "TLSv1.2",
            "TLSv1_3", "TLSv1.3",
            "TLSv1.1", "TLSv1.1",
            "TLSv1.2", "TLSv1.2",
            "TLSv1.3", "TLSv1.3");

    private static final List<String> FLEXIBLE = List.of("SSLv23", "TLS");

    private OpenSslProtocol() {
    }

    /**
     * @return the single JDK protocol to enable, or null for the JDK's default set
     * @throws TlsConfigException for an unknown name or a version this JVM cannot use
     */
    static String toJdk(String openSslName) {
        if (openSslName == null || openSslName.isEmpty() || FLEXIBLE.contains(openSslName)) {
            return null;
        }
        String jdk = PINNED.get(openSslName);
        if (jdk == null) {
            throw new TlsConfigException("unsupported TLS protocol '" + openSslName
                    + "' (expected one of TLSv1_2, TLSv1_3, TLSv1_1, TLSv1, SSLv23, TLS)");
        }
        List<String> usable = serverDefaultProtocols();
        if (!usable.contains(jdk)) {
            throw new TlsConfigException("TLS protocol '" + openSslName + "' (" + jdk + ") is disabled in this JVM"
                    + " (see jdk.tls.disabledAlgorithms in the java.security file); usable: " + usable);
        }
        return jdk;
    }

    /** Protocols a server-side JDK engine enables by default: supported and not disabled by policy. */
    static List<String> serverDefaultProtocols() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, null, null);
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(false);
            return Arrays.asList(engine.getEnabledProtocols());
        } catch (NoSuchAlgorithmException | KeyManagementException e) {
            throw new IllegalStateException("the JDK has no usable TLS implementation", e);
        }
    }
}
