package io.hubgate.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hubgate.config.TlsClientConfig;
import io.hubgate.config.TlsServerConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real TLS handshakes over loopback between contexts made by {@link TlsContexts}. */
class TlsContextsHandshakeTest {

    private static final String MESSAGE = "hello through TLS";
    private static final String PASSPHRASE = "hubgate-test";

    @TempDir
    static Path dir;

    static TestPki pki;
    static TlsLoopback loopback;
    static TestPki.Issued serverEc;
    static TestPki.Issued serverRsa;
    static TestPki.Issued untrustedServer;
    static TestPki.Issued client;
    static TestPki.Issued untrustedClient;
    static Path caFile;

    @BeforeAll
    static void createPki() throws Exception {
        pki = new TestPki(dir);
        loopback = new TlsLoopback();
        serverEc = pki.issue("server-ec", pki.serverCertificate().ecp256(), pki.ca);
        serverRsa = pki.issue("server-rsa", pki.serverCertificate().rsa2048(), pki.ca);
        untrustedServer = pki.issue("server-untrusted", pki.serverCertificate().ecp256(), pki.otherCa);
        client = pki.issue("client", pki.clientCertificate().ecp256(), pki.ca);
        untrustedClient = pki.issue("client-untrusted", pki.clientCertificate().ecp256(), pki.otherCa);
        caFile = pki.caFile();
    }

    @AfterAll
    static void stop() {
        loopback.close();
    }

    static TlsServerConfig server(TestPki.Issued issued) {
        return new TlsServerConfig(issued.key(), issued.cert(), null, null, false, false, null, null, null);
    }

    static TlsServerConfig withProtocol(TlsServerConfig c, String protocol) {
        return new TlsServerConfig(c.key(), c.cert(), c.ca(), c.keyPassphrase(), c.requestCert(), c.rejectUnauthorized(),
                protocol, c.ciphers(), c.dhparam());
    }

    static TlsServerConfig withCiphers(TlsServerConfig c, String ciphers) {
        return new TlsServerConfig(c.key(), c.cert(), c.ca(), c.keyPassphrase(), c.requestCert(), c.rejectUnauthorized(),
                c.protocol(), ciphers, c.dhparam());
    }

    static TlsServerConfig withClientAuth(TlsServerConfig c, Path ca, boolean requestCert, boolean rejectUnauthorized) {
        return new TlsServerConfig(c.key(), c.cert(), ca, c.keyPassphrase(), requestCert, rejectUnauthorized,
                c.protocol(), c.ciphers(), c.dhparam());
    }

    /** Hubgate's upstream client trusting our test CA, optionally presenting a client certificate. */
    static Function<ByteBufAllocator, SslHandler> hubgateClient(TestPki.Issued clientCert, String host) {
        UpstreamTls tls = TlsContexts.forClient(new TlsClientConfig(
                clientCert == null ? null : clientCert.key(), clientCert == null ? null : clientCert.cert(), caFile, false));
        return alloc -> tls.newHandler(alloc, host, 443);
    }

    /** A plain Netty client (not our code), to pin the client's protocol or cipher offer. */
    static Function<ByteBufAllocator, SslHandler> nettyClient(List<String> protocols, List<String> ciphers) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .trustManager(TestPki.certificate(pki.ca));
        if (protocols != null) {
            builder.protocols(protocols);
        }
        if (ciphers != null) {
            builder.ciphers(ciphers);
        }
        SslContext context = builder.build();
        return alloc -> context.newHandler(alloc, "localhost", 443);
    }

    static TlsLoopback.Result exchange(TlsServerConfig serverConfig, Function<ByteBufAllocator, SslHandler> clientSide)
            throws Exception {
        try (TlsLoopback.Server server = loopback.startServer(TlsContexts.forServer(serverConfig))) {
            return loopback.exchange(server.port(), clientSide, MESSAGE);
        }
    }

    @Nested
    class ServerKeys {

        @Test
        void plainServerTlsWithAnEcKey() throws Exception {
            TlsLoopback.Result result = exchange(server(serverEc), hubgateClient(null, "localhost"));
            assertThat(result.failure()).isNull();
            assertThat(result.received()).isEqualTo(MESSAGE);
            assertThat(result.protocol()).isEqualTo("TLSv1.3");
            assertThat(result.peerSubject()).isEqualTo("CN=localhost");
        }

        @Test
        void plainServerTlsWithAnRsaKey() throws Exception {
            TlsLoopback.Result result = exchange(server(serverRsa), hubgateClient(null, "localhost"));
            assertThat(result.echoed(MESSAGE)).as("echo, failure=%s", result.failure()).isTrue();
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({
            "rsa-pkcs1.pem, rsa-public.pem",
            "rsa-pkcs8.pem, rsa-public.pem",
            "rsa-legacy-aes128.pem, rsa-public.pem",
            "rsa-legacy-aes192.pem, rsa-public.pem",
            "rsa-legacy-aes256.pem, rsa-public.pem",
            "rsa-legacy-des3.pem, rsa-public.pem",
            "rsa-pkcs8-encrypted.pem, rsa-public.pem",
            "rsa-pkcs8-pbes1.pem, rsa-public.pem",
            "ec-sec1.pem, ec-public.pem",
            "ec-pkcs8.pem, ec-public.pem",
            "ec-legacy-aes128.pem, ec-public.pem",
            "ec-pkcs8-encrypted.pem, ec-public.pem",
            "ec384-sec1.pem, ec384-public.pem",
        })
        void everyKeyFormatServesTls(String keyFixture, String publicKeyFixture) throws Exception {
            TestPki.Issued issued = pki.issueForFixture(keyFixture.replace(".pem", ""), keyFixture, publicKeyFixture, pki.ca);
            TlsServerConfig config = new TlsServerConfig(issued.key(), issued.cert(), null, PASSPHRASE,
                    false, false, null, null, null);
            TlsLoopback.Result result = exchange(config, hubgateClient(null, "localhost"));
            assertThat(result.failure()).isNull();
            assertThat(result.received()).isEqualTo(MESSAGE);
        }

        @ParameterizedTest
        @CsvSource({"rsa-pkcs8-encrypted.pem", "rsa-legacy-aes256.pem", "rsa-legacy-des3.pem", "ec-legacy-aes128.pem"})
        void wrongPassphraseIsAClearStartupError(String keyFixture) throws Exception {
            String publicKey = keyFixture.startsWith("rsa") ? "rsa-public.pem" : "ec-public.pem";
            TestPki.Issued issued = pki.issueForFixture("wrong-" + keyFixture.replace(".pem", ""), keyFixture, publicKey, pki.ca);
            TlsServerConfig config = new TlsServerConfig(issued.key(), issued.cert(), null, "not-the-passphrase",
                    false, false, null, null, null);
            assertThatThrownBy(() -> TlsContexts.forServer(config))
                    .isInstanceOf(TlsConfigException.class)
                    .hasMessageContaining(issued.key().toString())
                    .hasMessageContaining("wrong passphrase");
        }

        @Test
        void aLoneCertificateIsCompletedWithIntermediatesFromTheCaFileLikeOpenSsl() throws Exception {
            X509Bundle intermediate = new CertificateBuilder()
                    .subject("CN=Hubgate Test Intermediate")
                    .ecp256()
                    .setIsCertificateAuthority(true)
                    .buildIssuedBy(pki.ca);
            TestPki.Issued leaf = pki.issue("server-via-intermediate", pki.serverCertificate().ecp256(), intermediate);
            Path bundle = pki.write("intermediate-and-root.pem", intermediate.getCertificatePEM() + pki.ca.getCertificatePEM());

            TlsServerConfig leafOnly = server(leaf);
            TlsLoopback.Result withoutCa = exchange(leafOnly, hubgateClient(null, "localhost"));
            assertThat(withoutCa.echoed(MESSAGE)).as("the client cannot build a path without the intermediate").isFalse();

            TlsServerConfig withCa = new TlsServerConfig(leaf.key(), leaf.cert(), bundle, null, false, false, null, null, null);
            TlsLoopback.Result completed = exchange(withCa, hubgateClient(null, "localhost"));
            assertThat(completed.failure()).isNull();
            assertThat(completed.received()).isEqualTo(MESSAGE);
        }

        @Test
        void keyOfAnotherCertificateIsAStartupError() throws Exception {
            TlsServerConfig mixed = new TlsServerConfig(serverEc.key(), serverRsa.cert(), null, null, false, false, null, null, null);
            assertThatThrownBy(() -> TlsContexts.forServer(mixed))
                    .isInstanceOf(TlsConfigException.class)
                    .hasMessageContaining("does not belong")
                    .hasMessageContaining(serverEc.key().toString());
            TlsServerConfig otherRsa = new TlsServerConfig(TestPki.fixtureFile(dir, "rsa-pkcs1.pem"), serverRsa.cert(),
                    null, null, false, false, null, null, null);
            assertThatThrownBy(() -> TlsContexts.forServer(otherRsa)).hasMessageContaining("does not belong");
        }
    }

    @Nested
    class ClientCertificates {

        @Test
        void requireRejectsAClientWithoutCertificate() throws Exception {
            TlsServerConfig config = withClientAuth(server(serverEc), caFile, true, true);
            try (TlsLoopback.Server server = loopback.startServer(TlsContexts.forServer(config))) {
                TlsLoopback.Result result = loopback.exchange(server.port(), hubgateClient(null, "localhost"), MESSAGE);
                assertThat(result.echoed(MESSAGE)).isFalse();
                assertThat(result.failure()).isNotNull();
                TlsLoopback.ServerSide side = server.nextHandshake();
                assertThat(side.success()).isFalse();
                assertThat(side.cause()).hasMessageContaining("certificate");
            }
        }

        @Test
        void requireAcceptsAClientWithATrustedCertificate() throws Exception {
            TlsServerConfig config = withClientAuth(server(serverEc), caFile, true, true);
            try (TlsLoopback.Server server = loopback.startServer(TlsContexts.forServer(config))) {
                TlsLoopback.Result result = loopback.exchange(server.port(), hubgateClient(client, "localhost"), MESSAGE);
                assertThat(result.failure()).isNull();
                assertThat(result.received()).isEqualTo(MESSAGE);
                assertThat(server.nextHandshake().peerSubject()).isEqualTo("CN=hub-client");
            }
        }

        @Test
        void requireRejectsAClientCertificateFromAnotherCa() throws Exception {
            TlsServerConfig config = withClientAuth(server(serverEc), caFile, true, true);
            try (TlsLoopback.Server server = loopback.startServer(TlsContexts.forServer(config))) {
                TlsLoopback.Result result = loopback.exchange(server.port(), hubgateClient(untrustedClient, "localhost"), MESSAGE);
                assertThat(result.echoed(MESSAGE)).isFalse();
                assertThat(server.nextHandshake().success()).isFalse();
            }
        }

        @Test
        void optionalAcceptsClientsWithAndWithoutCertificate() throws Exception {
            TlsServerConfig config = withClientAuth(server(serverEc), caFile, true, false);
            try (TlsLoopback.Server server = loopback.startServer(TlsContexts.forServer(config))) {
                TlsLoopback.Result anonymous = loopback.exchange(server.port(), hubgateClient(null, "localhost"), MESSAGE);
                assertThat(anonymous.failure()).isNull();
                assertThat(anonymous.received()).isEqualTo(MESSAGE);
                assertThat(server.nextHandshake().peerSubject()).isNull();

                TlsLoopback.Result identified = loopback.exchange(server.port(), hubgateClient(client, "localhost"), MESSAGE);
                assertThat(identified.received()).isEqualTo(MESSAGE);
                assertThat(server.nextHandshake().peerSubject()).isEqualTo("CN=hub-client");
            }
        }

        @Test
        void optionalLetsAClientWithAnUntrustedCertificateInAsAnonymous() throws Exception {
            // Node with requestCert and without rejectUnauthorized lets such a client in (marked unauthorized,
            // which CHP never looks at). JDK TLS does the same in effect: the handshake succeeds and the
            // session carries no verified peer identity.
            TlsServerConfig config = withClientAuth(server(serverEc), caFile, true, false);
            try (TlsLoopback.Server server = loopback.startServer(TlsContexts.forServer(config))) {
                TlsLoopback.Result result = loopback.exchange(server.port(), hubgateClient(untrustedClient, "localhost"), MESSAGE);
                assertThat(result.received()).isEqualTo(MESSAGE);
                TlsLoopback.ServerSide side = server.nextHandshake();
                assertThat(side.success()).isTrue();
                assertThat(side.peerSubject()).isNull();
            }
        }

        @Test
        void rejectUnauthorizedWithoutRequestCertAsksForNothing() throws Exception {
            TlsServerConfig config = withClientAuth(server(serverEc), caFile, false, true);
            try (TlsLoopback.Server server = loopback.startServer(TlsContexts.forServer(config))) {
                TlsLoopback.Result result = loopback.exchange(server.port(), hubgateClient(client, "localhost"), MESSAGE);
                assertThat(result.received()).isEqualTo(MESSAGE);
                assertThat(server.nextHandshake().peerSubject()).as("client certificate was not requested").isNull();
            }
        }
    }

    @Nested
    class Protocols {

        @Test
        void pinnedTls12IsWhatGetsNegotiated() throws Exception {
            TlsLoopback.Result result = exchange(withProtocol(server(serverEc), "TLSv1_2"), hubgateClient(null, "localhost"));
            assertThat(result.failure()).isNull();
            assertThat(result.protocol()).isEqualTo("TLSv1.2");
        }

        @Test
        void pinnedTls12RefusesATls13OnlyClient() throws Exception {
            TlsLoopback.Result result = exchange(withProtocol(server(serverEc), "TLSv1_2"), nettyClient(List.of("TLSv1.3"), null));
            assertThat(result.echoed(MESSAGE)).isFalse();
            assertThat(result.failure()).isNotNull();
        }

        @Test
        void pinnedTls13RefusesATls12OnlyClient() throws Exception {
            TlsLoopback.Result refused = exchange(withProtocol(server(serverEc), "TLSv1_3"), nettyClient(List.of("TLSv1.2"), null));
            assertThat(refused.echoed(MESSAGE)).isFalse();
            TlsLoopback.Result accepted = exchange(withProtocol(server(serverEc), "TLSv1_3"), nettyClient(List.of("TLSv1.3"), null));
            assertThat(accepted.received()).isEqualTo(MESSAGE);
            assertThat(accepted.protocol()).isEqualTo("TLSv1.3");
        }

        @ParameterizedTest
        @CsvSource({"SSLv23", "TLS"})
        void flexibleMethodsKeepTheDefaults(String method) throws Exception {
            TlsLoopback.Result tls13 = exchange(withProtocol(server(serverEc), method), hubgateClient(null, "localhost"));
            assertThat(tls13.protocol()).isEqualTo("TLSv1.3");
            TlsLoopback.Result tls12 = exchange(withProtocol(server(serverEc), method), nettyClient(List.of("TLSv1.2"), null));
            assertThat(tls12.received()).isEqualTo(MESSAGE);
            assertThat(tls12.protocol()).isEqualTo("TLSv1.2");
        }
    }

    @Nested
    class Ciphers {

        @Test
        void openSslNamesAreTranslatedAndKeywordsIgnored() throws Exception {
            TlsServerConfig config = withProtocol(withCiphers(server(serverRsa), "ECDHE-RSA-AES256-GCM-SHA384:HIGH:!RC4:!aNULL"), "TLSv1_2");
            TlsLoopback.Result result = exchange(config, hubgateClient(null, "localhost"));
            assertThat(result.failure()).isNull();
            assertThat(result.cipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
        }

        @Test
        void aClientWithoutACommonCipherIsRefused() throws Exception {
            TlsServerConfig config = withProtocol(withCiphers(server(serverRsa), "ECDHE-RSA-AES256-GCM-SHA384"), "TLSv1_2");
            TlsLoopback.Result result = exchange(config,
                    nettyClient(List.of("TLSv1.2"), List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")));
            assertThat(result.echoed(MESSAGE)).isFalse();
            assertThat(result.failure()).isNotNull();
        }

        @Test
        void theServersOrderWinsLikeHonorCipherOrder() throws Exception {
            TlsServerConfig config = withProtocol(
                    withCiphers(server(serverRsa), "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384"), "TLSv1_2");
            TlsLoopback.Result result = exchange(config, nettyClient(List.of("TLSv1.2"),
                    List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")));
            assertThat(result.cipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        }

        @Test
        void aTls12CipherListLeavesTls13Working() throws Exception {
            TlsServerConfig config = withCiphers(server(serverRsa), "ECDHE-RSA-AES128-GCM-SHA256");
            TlsLoopback.Result result = exchange(config, hubgateClient(null, "localhost"));
            assertThat(result.protocol()).isEqualTo("TLSv1.3");
            assertThat(result.received()).isEqualTo(MESSAGE);
        }

        @Test
        void chpsDefaultListWorksWhenGivenExplicitly() throws Exception {
            String chpDefault = "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:"
                    + "ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:DHE-RSA-AES128-SHA256:"
                    + "ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA256:DHE-RSA-AES256-SHA256:HIGH:!RC4:"
                    + "!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!SRP:!CAMELLIA";
            TlsLoopback.Result result = exchange(withProtocol(withCiphers(server(serverEc), chpDefault), "TLSv1_2"),
                    hubgateClient(null, "localhost"));
            assertThat(result.cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        }
    }

    @Nested
    class UpstreamVerification {

        @Test
        void succeedsWithTheRightCaAndHostName() throws Exception {
            try (TlsLoopback.Server server = loopback.startServer(TlsContexts.forServer(server(serverEc)))) {
                TlsLoopback.Result result = loopback.exchange(server.port(), hubgateClient(null, "localhost"), MESSAGE);
                assertThat(result.received()).isEqualTo(MESSAGE);
                assertThat(server.nextHandshake().requestedServerNames()).containsExactly("localhost");
            }
        }

        @Test
        void anIpLiteralIsVerifiedAgainstIpSansAndNotSentAsSni() throws Exception {
            try (TlsLoopback.Server server = loopback.startServer(TlsContexts.forServer(server(serverEc)))) {
                TlsLoopback.Result result = loopback.exchange(server.port(), hubgateClient(null, "127.0.0.1"), MESSAGE);
                assertThat(result.received()).isEqualTo(MESSAGE);
                assertThat(server.nextHandshake().requestedServerNames()).isEmpty();
            }
        }

        @Test
        void failsOnACertificateFromAnUntrustedCa() throws Exception {
            TlsLoopback.Result result = exchange(server(untrustedServer), hubgateClient(null, "localhost"));
            assertThat(result.echoed(MESSAGE)).isFalse();
            assertThat(result.failure()).hasStackTraceContaining("PKIX path");
        }

        @Test
        void failsOnAHostNameMismatch() throws Exception {
            TlsLoopback.Result result = exchange(server(serverEc), hubgateClient(null, "hub.example.org"));
            assertThat(result.echoed(MESSAGE)).isFalse();
            assertThat(result.failure()).hasStackTraceContaining("hub.example.org");
        }

        @Test
        void failsWithTheJdkTrustStoreWhenNoCaIsGiven() throws Exception {
            UpstreamTls defaults = TlsContexts.forClient(TlsClientConfig.DEFAULT);
            TlsLoopback.Result result = exchange(server(serverEc), alloc -> defaults.newHandler(alloc, "localhost", 443));
            assertThat(result.echoed(MESSAGE)).isFalse();
            assertThat(result.failure()).hasStackTraceContaining("PKIX path");
        }

        @Test
        void insecureAcceptsAnUntrustedCertificateForTheWrongName() throws Exception {
            UpstreamTls insecure = TlsContexts.forClient(new TlsClientConfig(null, null, null, true));
            assertThat(insecure.insecure()).isTrue();
            TlsLoopback.Result result = exchange(server(untrustedServer), alloc -> insecure.newHandler(alloc, "hub.example.org", 443));
            assertThat(result.failure()).isNull();
            assertThat(result.received()).isEqualTo(MESSAGE);
        }

        @Test
        void insecureStillSendsSni() throws Exception {
            UpstreamTls insecure = TlsContexts.forClient(new TlsClientConfig(null, null, caFile, true));
            try (TlsLoopback.Server server = loopback.startServer(TlsContexts.forServer(server(untrustedServer)))) {
                TlsLoopback.Result result = loopback.exchange(server.port(), alloc -> insecure.newHandler(alloc, "hub.example.org", 443), MESSAGE);
                assertThat(result.received()).isEqualTo(MESSAGE);
                assertThat(server.nextHandshake().requestedServerNames()).containsExactly("hub.example.org");
            }
        }

        @Test
        void bracketedIpv6HostIsAcceptedAsPeerHost() {
            UpstreamTls tls = TlsContexts.forClient(new TlsClientConfig(null, null, caFile, false));
            SslHandler handler = tls.newHandler(ByteBufAllocator.DEFAULT, "[::1]", 8443);
            try {
                assertThat(handler.engine().getPeerHost()).isEqualTo("::1");
                assertThat(handler.engine().getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
                assertThat(handler.engine().getSSLParameters().getServerNames()).isEmpty();
            } finally {
                handler.engine().closeOutbound();
            }
        }

        @Test
        void mutualTlsAsJupyterHubInternalSslUsesIt() throws Exception {
            TlsServerConfig hubApi = withClientAuth(server(serverEc), caFile, true, true);
            TlsLoopback.Result result = exchange(hubApi, hubgateClient(client, "localhost"));
            assertThat(result.failure()).isNull();
            assertThat(result.received()).isEqualTo(MESSAGE);
        }
    }
}
