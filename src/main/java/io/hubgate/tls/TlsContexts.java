package io.hubgate.tls;

import io.hubgate.config.TlsClientConfig;
import io.hubgate.config.TlsServerConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
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
     *   <li>{@code ca}: PEM bundle trusted for client certificates (null: the JDK's default trust store). Like
     *       OpenSSL, a certificate file holding a single certificate is completed with the intermediates
     *       from this bundle.</li>
     *   <li>{@code requestCert} → {@link ClientAuth#OPTIONAL}; with {@code rejectUnauthorized} as well →
     *       {@link ClientAuth#REQUIRE}. {@code rejectUnauthorized} alone does nothing, as in Node.</li>
     *   <li>{@code protocol}: see {@link OpenSslProtocol}; {@code ciphers}: see {@link OpenSslCipherList};
     *       null ciphers → the JDK's default list, which stands in for CHP's default list: forward-secret
     *       ECDHE/DHE AES-GCM and ChaCha20 suites first, then CBC and static-RSA ones (which CHP's trailing
     *       {@code HIGH} also allows); never RC4, DES, 3DES, MD5, NULL or anonymous suites.</li>
     *   <li>{@code dhparam}: read and checked, then unused: JDK TLS uses the standard FFDHE groups (RFC 7919).</li>
     * </ul>
     */
    public static SslContext forServer(TlsServerConfig config) {
        if (config.key() == null || config.cert() == null) {
            throw new TlsConfigException("a TLS listener needs both a private key and a certificate file"
                    + " (key: " + config.key() + ", certificate: " + config.cert() + ")");
        }
        // CHP ignores empty values (JavaScript falsiness): an empty passphrase, protocol or cipher list is unset.
        String passphrase = config.keyPassphrase() == null || config.keyPassphrase().isEmpty() ? null : config.keyPassphrase();
        String ciphers = config.ciphers() == null || config.ciphers().isBlank() ? null : config.ciphers();
        PrivateKey key = PrivateKeys.read(config.key(), passphrase);
        List<X509Certificate> chain = Pem.readCertificates(config.cert(), "TLS certificate file");
        checkKeyMatchesCertificate(key, chain.get(0), config.key(), config.cert());
        List<X509Certificate> cas = config.ca() == null ? List.of() : Pem.readCertificates(config.ca(), "TLS CA file");
        if (chain.size() == 1 && !cas.isEmpty()) {
            chain = completeChain(chain.get(0), cas);
            if (chain.size() > 1) {
                log.info("Sending {} intermediate certificate(s) from {} after the certificate of {}, as OpenSSL does",
                        chain.size() - 1, config.ca(), config.cert());
            }
        }

        SslContextBuilder builder = SslContextBuilder.forServer(key, chain)
                .sslProvider(SslProvider.JDK);

        if (config.requestCert()) {
            builder.clientAuth(config.rejectUnauthorized() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            if (!cas.isEmpty()) {
                builder.trustManager(cas);
            }
        }

        String protocol = OpenSslProtocol.toJdk(config.protocol());
        if (protocol != null) {
            builder.protocols(protocol);
        }
        if (ciphers != null) {
            List<String> suites = OpenSslCipherList.toJdk(ciphers, supportedCipherSuites(), defaultCipherSuites());
            if (protocol != null && !protocol.equals("TLSv1.3")) {
                suites = suites.stream().filter(s -> !OpenSslCipherList.isTls13Suite(s)).toList();
                if (suites.isEmpty()) {
                    throw new TlsConfigException("TLS cipher list '" + ciphers + "' has only TLS 1.3 suites,"
                            + " but the protocol is pinned to " + protocol);
                }
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
     * message, instead of at the first handshake: signs a probe with the private key and verifies it with the
     * certificate's public key.
     */
    static void checkKeyMatchesCertificate(PrivateKey key, X509Certificate certificate, Path keyFile, Path certFile) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
            default -> null; // e.g. RSASSA-PSS: needs parameters; leave it to the handshake
        };
        if (algorithm == null) {
            return;
        }
        byte[] probe = "hubgate key check".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new TlsConfigException("private key " + keyFile + " does not belong to the first certificate in " + certFile
                    + " (" + key.getAlgorithm() + " key, certificate for a " + certificate.getPublicKey().getAlgorithm() + " key)");
        }
    }

    /**
     * OpenSSL (so Node, so CHP) completes a lone server certificate with intermediates found in the CA store
     * ("auto chain"); without this, a setup passing the intermediate as {@code --ssl-ca} would stop working.
     * Self-signed roots are not sent.
     */
    static List<X509Certificate> completeChain(X509Certificate leaf, List<X509Certificate> cas) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        X509Certificate last = leaf;
        while (chain.size() < 10 && !isSelfIssued(last)) {
            X509Certificate issuer = findIssuer(last, cas);
            if (issuer == null || isSelfIssued(issuer) || chain.contains(issuer)) {
                break;
            }
            chain.add(issuer);
            last = issuer;
        }
        return chain;
    }

    private static X509Certificate findIssuer(X509Certificate certificate, List<X509Certificate> candidates) {
        for (X509Certificate candidate : candidates) {
            if (!candidate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                continue;
            }
            try {
                certificate.verify(candidate.getPublicKey());
                return candidate;
            } catch (GeneralSecurityException e) {
                // Same name, different key: keep looking.
            }
        }
        return null;
    }

    private static boolean isSelfIssued(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
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
