package io.hubgate.lifecycle;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.net.ssl.SSLContext;

/**
 * Certificates for the process tests, written as PEM files the way an operator (or JupyterHub's
 * internal_ssl) hands them to Hubgate: a CA, a server certificate for {@code localhost}/{@code 127.0.0.1}
 * and a client certificate issued by it, and a self-signed server certificate no one trusts.
 */
final class ProcessPki {

    final Path dir;
    final X509Bundle ca;
    final Issued server;
    final Issued client;
    final Issued selfSigned;
    final Path caFile;

    /** The key and certificate files of one bundle. */
    record Issued(X509Bundle bundle, Path key, Path cert) {
    }

    ProcessPki(Path dir) throws Exception {
        this.dir = dir;
        Instant now = Instant.now();
        ca = new CertificateBuilder()
                .subject("CN=Hubgate process test CA")
                .ecp256()
                .setIsCertificateAuthority(true)
                .setKeyUsage(true, CertificateBuilder.KeyUsage.keyCertSign, CertificateBuilder.KeyUsage.cRLSign)
                .notBefore(now.minus(1, ChronoUnit.DAYS))
                .notAfter(now.plus(1, ChronoUnit.DAYS))
                .buildSelfSigned();
        caFile = write("ca.pem", ca.getCertificatePEM());
        server = issue("server", serverCertificate(now).buildIssuedBy(ca));
        client = issue("client", new CertificateBuilder()
                .subject("CN=hub-client")
                .ecp256()
                .addExtendedKeyUsageClientAuth()
                .notBefore(now.minus(1, ChronoUnit.DAYS))
                .notAfter(now.plus(1, ChronoUnit.DAYS))
                .buildIssuedBy(ca));
        // Self-signed, as a quick test deployment's upstream would be (pkitesting wants the CA flag for that).
        selfSigned = issue("self-signed", serverCertificate(now).subject("CN=self-signed upstream")
                .setIsCertificateAuthority(true).buildSelfSigned());
    }

    private static CertificateBuilder serverCertificate(Instant now) {
        return new CertificateBuilder()
                .subject("CN=localhost")
                .ecp256()
                .addSanDnsName("localhost")
                .addSanIpAddress("127.0.0.1")
                .addExtendedKeyUsageServerAuth()
                .notBefore(now.minus(1, ChronoUnit.DAYS))
                .notAfter(now.plus(1, ChronoUnit.DAYS));
    }

    private Issued issue(String name, X509Bundle bundle) throws IOException {
        return new Issued(bundle, write(name + ".key.pem", bundle.getPrivateKeyPEM()),
                write(name + ".cert.pem", bundle.getCertificatePEM()));
    }

    private Path write(String name, String pem) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
        return file;
    }

    /** A JDK client context trusting the CA, optionally presenting a certificate. */
    SSLContext clientContext(X509Bundle identity) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(identity == null ? null : identity.toKeyManagerFactory().getKeyManagers(),
                ca.toTrustManagerFactory().getTrustManagers(), null);
        return context;
    }

    /** A Netty server context for a test upstream: {@code identity}'s certificate, client certificates optional or required. */
    SslContext upstreamContext(X509Bundle identity, boolean requireClientCertificate) throws Exception {
        SslContextBuilder builder = SslContextBuilder.forServer(identity.getKeyPair().getPrivate(),
                identity.getCertificatePath()).sslProvider(SslProvider.JDK);
        if (requireClientCertificate) {
            builder.clientAuth(ClientAuth.REQUIRE).trustManager(ca.getCertificate());
        }
        return builder.build();
    }
}
