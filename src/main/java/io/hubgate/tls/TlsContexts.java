package io.hubgate.tls;

import io.hubgate.config.TlsClientConfig;
import io.hubgate.config.TlsServerConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Path;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds Netty TLS contexts (JDK provider) from Hubgate's TLS configuration records.
 *
 * <ul>
 *   <li>{@link #forServer} — the public ({@code --ssl-*}) and API ({@code --api-ssl-*}) listeners.</li>
 *   <li>{@link #forClient} — connections to {@code https://} targets and the error target
 *       ({@code --client-ssl-*}, {@code --insecure}).</li>
 * </ul>
 *
 * Keys and certificates are read from PEM here (see {@link PrivateKeys} for the key formats) and handed to
 * Netty as objects, so the behaviour does not depend on whether Bouncy Castle happens to be on the class path.
 * Both methods fail with a {@link TlsConfigException} whose message names the offending file or value.
 */
public final class TlsContexts {

    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);

    private TlsContexts() {
    }

    /**
     * A server context for a TLS listener.
     *
     * <ul>
     *   <li>{@code key}/{@code cert}: PEM key (optionally encrypted with {@code keyPassphrase}) and chain.</li>
     *   <li>{@code ca}: PEM bundle trusted for client certificates (null: the JDK's default trust store).</li>
     *   <li>{@code requestCert} → {@link ClientAuth#OPTIONAL}; with {@code rejectUnauthorized} as well →
     *       {@link ClientAuth#REQUIRE}. {@code rejectUnauthorized} alone does nothing, as in Node.</li>
     *   <li>{@code protocol}: see {@link OpenSslProtocol}; {@code ciphers}: see {@link OpenSslCipherList};
     *       null ciphers → the JDK's default list, which (like CHP's default list) holds only forward-secret
     *       AEAD/CBC suites first and excludes RC4, DES, 3DES, MD5, NULL and anonymous suites.</li>
     *   <li>{@code dhparam}: read and checked, then unused: JDK TLS uses the standard FFDHE groups (RFC 7919).</li>
     * </ul>
     */
    public static SslContext forServer(TlsServerConfig config) {
        if (config.key() == null || config.cert() == null) {
            throw new TlsConfigException("a TLS listener needs both a private key and a certificate file"
                    + " (key: " + config.key() + ", certificate: " + config.cert() + ")");
        }
        PrivateKey key = PrivateKeys.read(config.key(), config.keyPassphrase());
        List<X509Certificate> chain = Pem.readCertificates(config.cert(), "TLS certificate file");
        checkKeyMatchesCertificate(key, chain.get(0), config.key(), config.cert());

        SslContextBuilder builder = SslContextBuilder.forServer(key, chain)
                .sslProvider(SslProvider.JDK);

        if (config.requestCert()) {
            builder.clientAuth(config.rejectUnauthorized() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            if (config.ca() != null) {
                builder.trustManager(Pem.readCertificates(config.ca(), "TLS CA file"));
            }
        } else if (config.ca() != null) {
            // Without requestCert Node never looks at the CA either; still fail early on a bad file.
            Pem.readCertificates(config.ca(), "TLS CA file");
        }

        String protocol = OpenSslProtocol.toJdk(config.protocol());
        if (protocol != null) {
            builder.protocols(protocol);
        }
        if (config.ciphers() != null) {
            List<String> suites = OpenSslCipherList.toJdk(config.ciphers(), supportedCipherSuites(), defaultCipherSuites());
            if (protocol != null && !protocol.equals("TLSv1.3")
                    && suites.stream().allMatch(OpenSslCipherList::isTls13Suite)) {
                throw new TlsConfigException("TLS cipher list '" + config.ciphers() + "' has only TLS 1.3 suites,"
                        + " but the protocol is pinned to " + protocol);
            }
            builder.ciphers(suites, SupportedCipherSuiteFilter.INSTANCE);
        }
        if (config.dhparam() != null) {
            checkDhParameters(config.dhparam());
        }
        return build(builder, "TLS server context for " + config.cert());
    }

    /**
     * Client-side TLS for {@code https://} targets. {@code ca} replaces the JDK's default trust store;
     * {@code key} + {@code cert} present a client certificate (mutual TLS, as JupyterHub's internal_ssl
     * needs); {@code insecure} trusts any certificate and skips host-name checks (CHP's {@code --insecure},
     * which CHP 5.1+ ignores; Hubgate honours it). The client key cannot be encrypted: CHP has no passphrase
     * for it either.
     */
    public static UpstreamTls forClient(TlsClientConfig config) {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .endpointIdentificationAlgorithm(config.insecure() ? null : UpstreamTls.HOST_NAME_VERIFICATION);
        if (config.insecure()) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            if (config.ca() != null) {
                log.info("--insecure given: upstream certificates are not verified, the client CA file {} is not used", config.ca());
                Pem.readCertificates(config.ca(), "client TLS CA file");
            }
        } else if (config.ca() != null) {
            builder.trustManager(Pem.readCertificates(config.ca(), "client TLS CA file"));
        }
        if (config.key() != null || config.cert() != null) {
            if (config.key() == null || config.cert() == null) {
                throw new TlsConfigException("a client certificate needs both a private key and a certificate file"
                        + " (key: " + config.key() + ", certificate: " + config.cert() + ")");
            }
            PrivateKey key = PrivateKeys.read(config.key(), null);
            List<X509Certificate> chain = Pem.readCertificates(config.cert(), "client TLS certificate file");
            checkKeyMatchesCertificate(key, chain.get(0), config.key(), config.cert());
            builder.keyManager(key, chain);
        }
        return new UpstreamTls(build(builder, "TLS client context"), config.insecure());
    }

    private static SslContext build(SslContextBuilder builder, String what) {
        try {
            return builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new TlsConfigException("cannot create the " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Catches the common "key and certificate files do not belong together" mistake at startup, with a
     * message, instead of at the first handshake. Compares the public key of the certificate with the one
     * derived from the private key where the JDK lets us (RSA and EC); other key types are left to the handshake.
     */
    private static void checkKeyMatchesCertificate(PrivateKey key, X509Certificate certificate, Path keyFile, Path certFile) {
        PublicKey certKey = certificate.getPublicKey();
        boolean matches = true;
        if (key instanceof RSAPrivateCrtKey rsa) {
            matches = certKey instanceof RSAPublicKey rsaPublic && rsa.getModulus().equals(rsaPublic.getModulus());
        } else if (key instanceof ECPrivateKey ec) {
            matches = certKey instanceof ECPublicKey ecPublic && ec.getParams().getCurve().equals(ecPublic.getParams().getCurve());
        }
        if (!matches) {
            throw new TlsConfigException("private key " + keyFile + " does not belong to the first certificate in " + certFile
                    + " (" + key.getAlgorithm() + " key, certificate for a " + certKey.getAlgorithm() + " key)");
        }
    }

    private static void checkDhParameters(Path file) {
        boolean found = Pem.readBlocks(file, "TLS DH parameter file").stream()
                .anyMatch(b -> b.label().equals("DH PARAMETERS") || b.label().equals("X9.42 DH PARAMETERS"));
        if (!found) {
            throw new TlsConfigException("TLS DH parameter file " + file + " contains no '-----BEGIN DH PARAMETERS-----' block");
        }
        log.info("DH parameters from {} are not needed: JDK TLS uses the standard FFDHE groups of RFC 7919", file);
    }

    private static List<String> supportedCipherSuites() {
        return Arrays.asList(jdkContext().getSupportedSSLParameters().getCipherSuites());
    }

    private static List<String> defaultCipherSuites() {
        SSLParameters defaults = jdkContext().getDefaultSSLParameters();
        return Arrays.asList(defaults.getCipherSuites());
    }

    private static SSLContext jdkContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, null, null);
            return context;
        } catch (NoSuchAlgorithmException | KeyManagementException e) {
            throw new IllegalStateException("the JDK has no usable TLS implementation", e);
        }
    }
}
