package io.hubgate.lifecycle;

import static io.hubgate.lifecycle.Clients.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateProcess;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS as JupyterHub's {@code internal_ssl} uses it, through the real process: the REST API behind mutual
 * TLS ({@code --api-ssl-*}), client certificates towards https upstreams ({@code --client-ssl-*}, CHP
 * proxy_spec #24), and {@code --insecure} (README difference 1: CHP ≥ 5.1 ignores it, Hubgate honours it).
 */
class TlsProcessIT {

    private static final String TOKEN = "tls-process-token";

    @TempDir
    static Path pkiDir;
    static ProcessPki pki;
    /** Requires a client certificate issued by the test CA. */
    static HttpBackend mutualTlsUpstream;
    /** Presents a self-signed certificate nobody trusts. */
    static HttpBackend selfSignedUpstream;

    @TempDir
    Path tmp;

    private final List<HubgateProcess> processes = new ArrayList<>();

    @BeforeAll
    static void startUpstreams() throws Exception {
        pki = new ProcessPki(pkiDir);
        mutualTlsUpstream = new HttpBackend("mtls", pki.upstreamContext(pki.server.bundle(), true));
        selfSignedUpstream = new HttpBackend("self-signed", pki.upstreamContext(pki.selfSigned.bundle(), false));
    }

    @AfterAll
    static void stopUpstreams() {
        mutualTlsUpstream.close();
        selfSignedUpstream.close();
    }

    @AfterEach
    void cleanup() {
        processes.forEach(p -> {
            p.close();
            p.assertNoLeakReport();
        });
    }

    private HubgateProcess start(String name, List<String> extraArgs) {
        HubgateProcess.Options options = new HubgateProcess.Options();
        options.env.put("CONFIGPROXY_AUTH_TOKEN", TOKEN);
        List<String> args = new ArrayList<>(List.of("--ip", "127.0.0.1", "--port", "0",
                "--api-ip", "127.0.0.1", "--api-port", "0"));
        args.addAll(extraArgs);
        HubgateProcess p = HubgateProcess.start(tmp, name, options, args);
        processes.add(p);
        return p;
    }

    private static String https(HttpBackend upstream) {
        return "https://127.0.0.1:" + upstream.port();
    }

    private static HttpResponse<String> addRoute(HttpClient client, String apiBase, String path, String target) {
        return Clients.send(client, HttpRequest.newBuilder(URI.create(apiBase + "/api/routes" + path))
                .header("Authorization", "token " + TOKEN)
                .timeout(Clients.REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString("{\"target\":\"" + target + "\",\"jupyterhub\":true}"))
                .build());
    }

    @Test
    void internalSslApiAndUpstreamsWithClientCertificates() throws Exception {
        // JupyterHub's internal_ssl command line.
        HubgateProcess p = start("internal-ssl", List.of(
                "--api-ssl-key", pki.server.key().toString(), "--api-ssl-cert", pki.server.cert().toString(),
                "--api-ssl-ca", pki.caFile.toString(), "--api-ssl-request-cert", "--api-ssl-reject-unauthorized",
                "--client-ssl-key", pki.client.key().toString(), "--client-ssl-cert", pki.client.cert().toString(),
                "--client-ssl-ca", pki.caFile.toString(), "--client-ssl-request-cert", "--client-ssl-reject-unauthorized"));
        int api = Integer.parseInt(p.awaitStdout("Proxy API at https://127\\.0\\.0\\.1:(\\d+)/api/routes").group(1));
        int proxy = p.proxyPort();
        String apiBase = "https://127.0.0.1:" + api;

        // Without a client certificate the API refuses the connection (the token alone is not enough).
        HttpClient noCertificate = Clients.https(pki.clientContext(null), HttpClient.Redirect.NEVER);
        assertThatThrownBy(() -> addRoute(noCertificate, apiBase, "/mtls", https(mutualTlsUpstream)))
                .isInstanceOf(UncheckedIOException.class);
        // Plain HTTP on the API port gets nowhere either.
        assertThatThrownBy(() -> get(Clients.http(), "http://127.0.0.1:" + api + "/api/routes"))
                .isInstanceOf(UncheckedIOException.class);

        // With a certificate from the CA it works.
        HttpClient hub = Clients.https(pki.clientContext(pki.client.bundle()), HttpClient.Redirect.NEVER);
        assertThat(addRoute(hub, apiBase, "/mtls", https(mutualTlsUpstream)).statusCode()).isEqualTo(201);
        assertThat(addRoute(hub, apiBase, "/self", https(selfSignedUpstream)).statusCode()).isEqualTo(201);
        assertThat(Clients.send(hub, HttpRequest.newBuilder(URI.create(apiBase + "/api/routes"))
                .header("Authorization", "token " + TOKEN).timeout(Clients.REQUEST_TIMEOUT).build()).body())
                .contains("\"/mtls\"", "\"/self\"");

        // The proxy presents the client certificate to an upstream that requires one (proxy_spec #24).
        HttpResponse<String> viaMtls = get(Clients.http(), "http://127.0.0.1:" + proxy + "/mtls/x");
        assertThat(viaMtls.statusCode()).as(viaMtls.body()).isEqualTo(200);
        assertThat(Clients.json(viaMtls.body()).get("name").asString()).isEqualTo("mtls");

        // An upstream whose certificate the client CA did not sign is refused: 503.
        assertThat(get(Clients.http(), "http://127.0.0.1:" + proxy + "/self/x").statusCode()).isEqualTo(503);
        assertThat(p.stdout()).contains("error: 503 GET /self/x ");
    }

    @Test
    void insecureReallyDisablesUpstreamVerification() {
        HubgateProcess secure = start("verifying", List.of("--default-target", https(selfSignedUpstream)));
        HubgateProcess insecure = start("insecure", List.of("--default-target", https(selfSignedUpstream), "--insecure"));
        secure.awaitStdout("Route added /");
        insecure.awaitStdout("Route added /");

        assertThat(get(Clients.http(), "http://127.0.0.1:" + secure.proxyPort() + "/x").statusCode()).isEqualTo(503);

        HttpResponse<String> viaInsecure = get(Clients.http(), "http://127.0.0.1:" + insecure.proxyPort() + "/x");
        assertThat(viaInsecure.statusCode()).as(viaInsecure.body()).isEqualTo(200);
        assertThat(Clients.json(viaInsecure.body()).get("name").asString()).isEqualTo("self-signed");

        // --insecure does not invent a client certificate: the mutual-TLS upstream still refuses.
        String api = "http://127.0.0.1:" + insecure.apiPort();
        assertThat(addRoute(Clients.http(), api, "/mtls", https(mutualTlsUpstream)).statusCode()).isEqualTo(201);
        assertThat(get(Clients.http(), "http://127.0.0.1:" + insecure.proxyPort() + "/mtls/x").statusCode())
                .isEqualTo(503);
    }
}
