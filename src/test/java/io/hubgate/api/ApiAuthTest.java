package io.hubgate.api;

import static io.hubgate.api.ApiClient.keys;
import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.testing.HubgateFixture;
import io.hubgate.testing.RawHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * API authentication (chp-behaviour §3.2, Q11, Q12): CHP's unanchored, case-sensitive {@code token <t>}
 * form, 403 with an empty body, 404/405 before authentication, authentication before the body or the path
 * is parsed, and no authentication at all when no token is configured.
 */
class ApiAuthTest {

    static HubgateFixture hub;
    static ApiClient authed;

    @BeforeAll
    static void start() {
        hub = HubgateFixture.start(b -> b.defaultTarget = "http://127.0.0.1:1");
        authed = new ApiClient(hub);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static HttpResponse<String> getWith(String authorization) {
        return new ApiClient(hub, null).send("GET", "", null, "Authorization", authorization);
    }

    static void assertForbidden(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("content-type")).isEmpty();
        assertThat(r.headers().firstValue("www-authenticate")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"token secret", "token  secret", "token\tsecret", "xtoken secret", "Bearer token secret",
            "token   secret extra", "token secret token other", "Basic x, token secret"})
    void acceptedHeaderForms(String header) {
        HttpResponse<String> r = getWith(header);
        assertThat(r.statusCode()).as(header).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Token secret", "TOKEN secret", "Bearer secret", "token wrong", "token secretX",
            "token secre", "token", "token ", "secret", "Basic c2VjcmV0", "token other token secret", "tokensecret",
            "token \"secret\""})
    void rejectedHeaderForms(String header) {
        assertForbidden(getWith(header));
    }

    @Test
    void missingOrEmptyHeaderIs403() throws IOException {
        assertForbidden(new ApiClient(hub, null).get(""));
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) {
            RawHttp.Response r = raw.exchange("GET", "/api/routes", null, "Authorization:");
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.bodyText()).isEmpty();
        }
    }

    @Test
    void everyMethodNeedsTheToken() {
        authed.add("/guarded", "{\"target\":\"http://127.0.0.1:1\"}");
        ApiClient anon = new ApiClient(hub, "wrong");
        assertForbidden(anon.get(""));
        assertForbidden(anon.get("/"));
        assertForbidden(anon.get("/guarded"));
        assertForbidden(anon.get("?inactive_since=endoftheuniverse"));
        assertForbidden(anon.post("/guarded", "{\"target\":\"http://127.0.0.1:2\"}"));
        assertForbidden(anon.post("/sneaky", "{\"target\":\"http://127.0.0.1:2\"}"));
        assertForbidden(anon.post("", "{\"target\":\"http://127.0.0.1:2\"}"));
        assertForbidden(anon.delete("/guarded"));
        assertForbidden(anon.delete("/"));
        assertForbidden(anon.delete(""));
        // nothing changed
        var all = authed.all();
        assertThat(keys(all)).contains("/", "/guarded").doesNotContain("/sneaky");
        assertThat(all.get("/guarded").get("target").asString()).isEqualTo("http://127.0.0.1:1");
        assertThat(all.get("/").get("target").asString()).isEqualTo("http://127.0.0.1:1");
    }

    @Test
    void notFoundAndMethodNotAllowedPrecedeAuthentication() {
        ApiClient anon = new ApiClient(hub, null);
        for (String path : List.of("/api", "/api/", "/api/routesX", "/", "/metrics")) {
            HttpResponse<String> r = anon.sendTo(path, "GET", null);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).isEqualTo("Not Found");
        }
        for (String method : List.of("PUT", "PATCH", "OPTIONS")) {
            HttpResponse<String> r = anon.send(method, "/x", "{}");
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(r.body()).isEqualTo("Method not supported");
        }
    }

    @Test
    void authenticationPrecedesBodyAndPathParsing() throws IOException { // Q12
        ApiClient anon = new ApiClient(hub, "wrong");
        assertForbidden(anon.post("/x", "{not json"));
        assertForbidden(anon.post("/x", null));
        assertForbidden(anon.post("/x", "{\"target\":5}"));
        assertForbidden(anon.post("/x", "{\"target\":\"ftp://x\"}"));
        assertForbidden(anon.post("/a%0Ab", "{\"target\":\"http://127.0.0.1:1\"}"));
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) {
            RawHttp.Response r = raw.exchange("POST", "/api/routes/bad%zz", "{}");
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.bodyText()).isEmpty();
            assertThat(raw.exchange("DELETE", "/api/routes/bad%zz", null).status()).isEqualTo(403);
            assertThat(raw.exchange("DELETE", "/api/routes", null).status()).isEqualTo(403);
        }
    }

    @Test
    void unauthenticatedBodyIsNeverBuffered() throws IOException { // Q12: rejected on the head, before its body arrives
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) {
            raw.send("POST /api/routes/big HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n{\"target\"");
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.bodyText()).isEmpty();
        }
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) {
            raw.send("POST /api/routes/big HTTP/1.1\r\nHost: x\r\nAuthorization: token nope\r\n"
                    + "Expect: 100-continue\r\nContent-Length: 1073741824\r\n\r\n");
            RawHttp.Response r = raw.read();
            assertThat(r.status()).as("no 100 Continue for a request that will be refused").isEqualTo(403);
        }
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) { // chunked, then the connection is reused
            raw.send("POST /api/routes/big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"tar\r\n");
            assertThat(raw.read().status()).isEqualTo(403);
            raw.send("3\r\nget\r\n0\r\n\r\n");
            assertThat(raw.exchange("GET", "/api/routes", null, "Authorization: token secret").status()).isEqualTo(200);
            assertThat(raw.exchange("POST", "/api/routes/big", "x".repeat(100_000)).status()).isEqualTo(403);
            assertThat(raw.exchange("GET", "/api/routes/big", null, "Authorization: token secret").status())
                    .isEqualTo(404);
        }
    }

    @Test
    void authenticatedBodiesHaveNoSmallLimit() { // Q23: not stricter than CHP, which has no body limit
        String pad = "p".repeat(20 * 1024 * 1024);
        HttpResponse<String> r = authed.post("/large", "{\"target\":\"http://127.0.0.1:1\",\"pad\":\"" + pad + "\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(ApiClient.parse(authed.get("/large").body()).get("pad").asString()).hasSize(pad.length());
        assertThat(authed.delete("/large").statusCode()).isEqualTo(204);
    }

    @Test
    void noTokenMeansNoAuthentication() {
        for (String token : new String[] {null, ""}) {
            try (HubgateFixture open = HubgateFixture.start(b -> b.authToken = token)) {
                ApiClient anon = new ApiClient(open, null);
                assertThat(anon.post("/free", "{\"target\":\"http://127.0.0.1:1\"}").statusCode()).isEqualTo(201);
                assertThat(anon.get("/free").statusCode()).isEqualTo(200);
                assertThat(keys(anon.all())).containsExactly("/free");
                assertThat(new ApiClient(open, "anything").get("").statusCode()).isEqualTo(200);
                assertThat(anon.send("GET", "", null, "Authorization", "Bearer nonsense").statusCode()).isEqualTo(200);
                assertThat(anon.delete("/free").statusCode()).isEqualTo(204);
                assertThat(anon.post("/x", "{bad").statusCode()).isEqualTo(400);
            }
        }
    }
}
