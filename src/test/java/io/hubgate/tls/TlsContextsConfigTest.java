package io.hubgate.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hubgate.config.TlsClientConfig;
import io.hubgate.config.TlsServerConfig;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Startup-time validation of TLS settings: every mistake is a {@link TlsConfigException} naming its source. */
class TlsContextsConfigTest {

    @TempDir
    static Path dir;

    static TestPki pki;
    static TestPki.Issued server;
    static TestPki.Issued client;

    @BeforeAll
    static void createPki() throws Exception {
        pki = new TestPki(dir);
        server = pki.issue("server", pki.serverCertificate().ecp256(), pki.ca);
        client = pki.issue("client", pki.clientCertificate().ecp256(), pki.ca);
    }

    private static TlsServerConfig config(Path key, Path cert, Path ca, boolean requestCert, String protocol, String ciphers, Path dhparam) {
        return new TlsServerConfig(key, cert, ca, null, requestCert, false, protocol, ciphers, dhparam);
    }

    @Test
    void aValidConfigurationBuildsAServerContext() throws Exception {
        SslContext context = TlsContexts.forServer(config(server.key(), server.cert(), pki.caFile(), true, "TLSv1_2",
                "ECDHE-ECDSA-AES128-GCM-SHA256", TestPki.fixtureFile(dir, "dhparam.pem")));
        assertThat(context.isServer()).isTrue();
        assertThat(context.cipherSuites()).containsExactly("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void emptyValuesMeanUnsetAsInChp() {
        TlsServerConfig empty = new TlsServerConfig(server.key(), server.cert(), null, "", false, false, "", " ", null);
        SslContext context = TlsContexts.forServer(empty);
        SslContext defaults = TlsContexts.forServer(config(server.key(), server.cert(), null, false, null, null, null));
        assertThat(context.cipherSuites()).isEqualTo(defaults.cipherSuites());
    }

    @Test
    void keyAndCertificateAreBothRequired() {
        assertThatThrownBy(() -> TlsContexts.forServer(config(null, server.cert(), null, false, null, null, null)))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining("needs both a private key and a certificate");
        assertThatThrownBy(() -> TlsContexts.forServer(config(server.key(), null, null, false, null, null, null)))
                .isInstanceOf(TlsConfigException.class);
    }

    @Test
    void missingAndWrongFilesAreNamed() throws Exception {
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> TlsContexts.forServer(config(missing, server.cert(), null, false, null, null, null)))
                .hasMessage("TLS private key file " + missing + " does not exist");
        assertThatThrownBy(() -> TlsContexts.forServer(config(server.key(), missing, null, false, null, null, null)))
                .hasMessage("TLS certificate file " + missing + " does not exist");
        // Key and certificate swapped.
        assertThatThrownBy(() -> TlsContexts.forServer(config(server.cert(), server.key(), null, false, null, null, null)))
                .hasMessageContaining(server.cert().toString()).hasMessageContaining("contains no private key");
        Path garbageCa = Files.writeString(dir.resolve("garbage-ca.pem"), "not a certificate");
        assertThatThrownBy(() -> TlsContexts.forServer(config(server.key(), server.cert(), garbageCa, true, null, null, null)))
                .hasMessageContaining("TLS CA file " + garbageCa);
        assertThatThrownBy(() -> TlsContexts.forServer(config(server.key(), server.cert(), garbageCa, false, null, null, null)))
                .as("the CA file is checked even when client certificates are not requested")
                .hasMessageContaining("TLS CA file " + garbageCa);
    }

    @Test
    void dhParametersMustBeReadableButAreNotUsed() throws Exception {
        Path missing = dir.resolve("dh-missing.pem");
        assertThatThrownBy(() -> TlsContexts.forServer(config(server.key(), server.cert(), null, false, null, null, missing)))
                .hasMessage("TLS DH parameter file " + missing + " does not exist");
        assertThatThrownBy(() -> TlsContexts.forServer(config(server.key(), server.cert(), null, false, null, null, server.cert())))
                .hasMessageContaining(server.cert().toString()).hasMessageContaining("no '-----BEGIN DH PARAMETERS-----' block");
    }

    @Test
    void badProtocolAndCipherSettings() {
        assertThatThrownBy(() -> TlsContexts.forServer(config(server.key(), server.cert(), null, false, "TLSv9", null, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported TLS protocol 'TLSv9'");
        assertThatThrownBy(() -> TlsContexts.forServer(config(server.key(), server.cert(), null, false, null, "HIGH:!aNULL", null)))
                .hasMessageContaining("names no cipher this JVM can use");
        assertThatThrownBy(() -> TlsContexts.forServer(config(server.key(), server.cert(), null, false, "TLSv1_2", "TLS_AES_128_GCM_SHA256", null)))
                .hasMessageContaining("only TLS 1.3 suites");
    }

    @Test
    void clientSettings() throws Exception {
        assertThatThrownBy(() -> TlsContexts.forClient(new TlsClientConfig(client.key(), null, null, false)))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining("needs both a private key and a certificate");
        Path encrypted = TestPki.fixtureFile(dir, "rsa-pkcs8-encrypted.pem");
        assertThatThrownBy(() -> TlsContexts.forClient(new TlsClientConfig(encrypted, client.cert(), null, false)))
                .hasMessage("TLS private key file " + encrypted + ": the key is encrypted but no passphrase was given");
        Path missingCa = dir.resolve("client-ca-missing.pem");
        assertThatThrownBy(() -> TlsContexts.forClient(new TlsClientConfig(null, null, missingCa, false)))
                .hasMessage("client TLS CA file " + missingCa + " does not exist");
        assertThatThrownBy(() -> TlsContexts.forClient(new TlsClientConfig(client.key(), server.cert(), null, false)))
                .as("a client key that does not match its certificate")
                .hasMessageContaining("does not belong");

        UpstreamTls tls = TlsContexts.forClient(new TlsClientConfig(client.key(), client.cert(), pki.caFile(), false));
        assertThat(tls.context().isClient()).isTrue();
        assertThat(tls.insecure()).isFalse();
    }
}
