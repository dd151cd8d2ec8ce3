package io.hubgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.config.TlsClientConfig;
import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateFixture;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code http+unix://} and {@code https://} targets (chp-behaviour §4.5, §4.6; Q1). */
class TargetKindsTest {

    @Test
    void unixSocketTargetAndErrorTarget(@TempDir Path dir) {
        Path socket = dir.resolve("backend.sock");
        String target = "http+unix://" + URLEncoder.encode(socket.toString(), StandardCharsets.UTF_8);
        try (HttpBackend unix = HttpBackend.onUnixSocket("unix", socket);
             HubgateFixture f = HubgateFixture.start(b -> b.errorTarget = target + "/")) {
            f.addRoute("/unix", target + "/base");
            HttpResponse<String> r = f.get("/unix/x?y=1");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"name\":\"unix\"").contains("\"url\":\"/base/unix/x?y=1\"");
            HttpResponse<String> missing = f.get("/foo/bar");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("\"url\":\"/404?url=%2Ffoo%2Fbar\"");
        }
    }

    static SslContext serverTls(X509Bundle cert) throws Exception {
        return SslContextBuilder.forServer(cert.toKeyManagerFactory()).build();
    }

    @Test
    void httpsTargetWithUntrustedCertificateNeedsInsecure() throws Exception {
        X509Bundle selfSigned = new CertificateBuilder().subject("CN=localhost").setIsCertificateAuthority(true)
                .addSanIpAddress("127.0.0.1").buildSelfSigned();
        try (HttpBackend https = new HttpBackend("tls", serverTls(selfSigned));
             HubgateFixture strict = HubgateFixture.start(b -> { });
             HubgateFixture insecure = HubgateFixture.start(
                     b -> b.clientTls = new TlsClientConfig(null, null, null, true))) {
            String target = "https://127.0.0.1:" + https.port();
            strict.addRoute("/s", target);
            insecure.addRoute("/s", target);
            assertThat(strict.get("/s/x").statusCode()).isEqualTo(503);
            HttpResponse<String> ok = insecure.get("/s/x");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("\"name\":\"tls\"");
        }
    }
}
