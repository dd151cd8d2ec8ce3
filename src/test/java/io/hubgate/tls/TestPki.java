package io.hubgate.tls;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * Test certificates written as PEM files: a CA with server and client certificates, and a second CA the
 * code under test is never told about. Also loads the key fixtures of {@code src/test/resources/tls}.
 */
final class TestPki {

    final Path dir;
    final X509Bundle ca;
    final X509Bundle otherCa;

    TestPki(Path dir) throws Exception {
        this.dir = dir;
        this.ca = newCa("CN=Hubgate Test CA");
        this.otherCa = newCa("CN=Someone Else's CA");
    }

    private static X509Bundle newCa(String subject) throws Exception {
        return new CertificateBuilder()
                .subject(subject)
                .ecp256()
                .setIsCertificateAuthority(true)
                .setKeyUsage(true, CertificateBuilder.KeyUsage.keyCertSign, CertificateBuilder.KeyUsage.cRLSign)
                .notBefore(Instant.now().minus(1, ChronoUnit.DAYS))
                .notAfter(Instant.now().plus(1, ChronoUnit.DAYS))
                .buildSelfSigned();
    }

    /** A server certificate for {@code localhost} and {@code 127.0.0.1}. */
    CertificateBuilder serverCertificate() {
        return new CertificateBuilder()
                .subject("CN=localhost")
                .addSanDnsName("localhost")
                .addSanIpAddress("127.0.0.1")
                .addExtendedKeyUsageServerAuth()
                .notBefore(Instant.now().minus(1, ChronoUnit.DAYS))
                .notAfter(Instant.now().plus(1, ChronoUnit.DAYS));
    }

    CertificateBuilder clientCertificate() {
        return new CertificateBuilder()
                .subject("CN=hub-client")
                .addExtendedKeyUsageClientAuth()
                .notBefore(Instant.now().minus(1, ChronoUnit.DAYS))
                .notAfter(Instant.now().plus(1, ChronoUnit.DAYS));
    }

    /** Files of one issued certificate. */
    record Issued(X509Bundle bundle, Path key, Path cert) {
    }

    Issued issue(String name, CertificateBuilder builder, X509Bundle issuer) throws Exception {
        X509Bundle bundle = builder.buildIssuedBy(issuer);
        return new Issued(bundle,
                write(name + ".key.pem", bundle.getPrivateKeyPEM()),
                write(name + ".cert.pem", bundle.getCertificatePEM()));
    }

    /** A certificate for a fixture key: the key file is the fixture itself, unchanged. */
    Issued issueForFixture(String name, String keyFixture, String publicKeyFixture, X509Bundle issuer) throws Exception {
        X509Bundle bundle = serverCertificate().publicKey(readPublicKey(publicKeyFixture)).buildIssuedBy(issuer);
        Path key = dir.resolve(name + ".key.pem");
        Files.write(key, fixtureBytes(keyFixture));
        return new Issued(bundle, key, write(name + ".cert.pem", bundle.getCertificatePEM()));
    }

    Path caFile() throws IOException {
        return write("ca.pem", ca.getCertificatePEM());
    }

    Path otherCaFile() throws IOException {
        return write("other-ca.pem", otherCa.getCertificatePEM());
    }

    Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        return file;
    }

    static X509Certificate certificate(X509Bundle bundle) {
        return bundle.getCertificate();
    }

    static byte[] fixtureBytes(String name) {
        try (InputStream in = TestPki.class.getResourceAsStream("/tls/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test fixture /tls/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a fixture into a directory so that it can be passed as a path. */
    static Path fixtureFile(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, fixtureBytes(name));
        return file;
    }

    static PublicKey readPublicKey(String fixture) throws Exception {
        String pem = new String(fixtureBytes(fixture), StandardCharsets.US_ASCII);
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(base64));
        String algorithm = fixture.startsWith("rsa") ? "RSA" : "EC";
        return KeyFactory.getInstance(algorithm).generatePublic(spec);
    }
}
