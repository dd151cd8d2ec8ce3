package io.hubgate.api;

import static io.hubgate.api.ApiClient.ISO_MILLIS;
import static io.hubgate.api.ApiClient.keys;
import static io.hubgate.api.ApiClient.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.routing.RoutePaths;
import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateFixture;
import io.hubgate.testing.RawHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Black-box conformance of the REST API against chp-behaviour §3 and §8.1 (CHP's own {@code api_spec.js},
 * re-expressed over HTTP), plus the request shapes JupyterHub sends. Every test talks to a real Hubgate
 * over loopback; tests that look at the whole table start their own instance.
 */
class RoutesApiConformanceTest {

    static HttpBackend backend;
    static HttpBackend other;
    static HubgateFixture hub;
    static ApiClient api;

    @BeforeAll
    static void start() {
        backend = new HttpBackend("default");
        other = new HttpBackend("other");
        hub = HubgateFixture.start(b -> b.defaultTarget = backend.url());
        api = new ApiClient(hub);
    }

    @AfterAll
    static void stop() {
        hub.close();
        backend.close();
        other.close();
    }

    static JsonNode proxied(HubgateFixture h, String path) {
        HttpResponse<String> r = h.get(path);
        assertThat(r.statusCode()).as("proxy GET %s", path).isEqualTo(200);
        return ApiClient.JSON.readTree(r.body());
    }

    static void assertJson(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    }

    static void assertEmpty(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("content-type")).isEmpty();
    }

    static void assertText(HttpResponse<String> r, int status, String body) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.body()).isEqualTo(body);
        assertThat(r.headers().firstValue("content-type")).isEmpty();
    }

    // ------------------------------------------------------------ §8.1: CHP's api_spec, over HTTP

    @Test
    void defaultTargetServesRootAndAnyUrl() { // api_spec 1–3
        assertThat(proxied(hub, "/").get("name").asString()).isEqualTo("default");
        assertThat(proxied(hub, "/any/random/url").get("name").asString()).isEqualTo("default");
    }

    @Test
    void getRoutesFetchesTheRoutingTable() { // api_spec 4
        try (HttpBackend b = new HttpBackend("b"); HubgateFixture fresh = HubgateFixture.start(c -> c.defaultTarget = b.url())) {
            HttpResponse<String> r = new ApiClient(fresh).get("");
            assertJson(r);
            ObjectNode all = parse(r.body());
            assertThat(keys(all)).containsExactly("/");
            assertThat(keys((ObjectNode) all.get("/"))).containsExactly("target", "last_activity");
            assertThat(all.get("/").get("target").asString()).isEqualTo(b.url());
        }
    }

    @Test
    void getSingleRoute() { // api_spec 5
        api.add("/path", "{\"target\":\"https://127.0.0.1:54321\"}");
        HttpResponse<String> r = api.get("/path");
        assertJson(r);
        ObjectNode route = parse(r.body());
        assertThat(route.get("target").asString()).isEqualTo("https://127.0.0.1:54321");
        assertThat(route.get("last_activity").asString()).matches(ISO_MILLIS);
    }

    @Test
    void getMissingRouteIs404WithEmptyBody() { // api_spec 6
        assertEmpty(api.get("/no/such/route"), 404);
    }

    @Test
    void postCreatesRoute() { // api_spec 7
        Instant before = Instant.now().minusMillis(1);
        HttpResponse<String> r = api.post("/user/foo", "{\"target\":\"http://127.0.0.1:8998\"}");
        Instant after = Instant.now().plusMillis(1);
        assertEmpty(r, 201);
        ObjectNode route = parse(api.get("/user/foo").body());
        assertThat(route.get("target").asString()).isEqualTo("http://127.0.0.1:8998");
        String activity = route.get("last_activity").asString();
        assertThat(activity).matches(ISO_MILLIS);
        assertThat(Instant.parse(activity)).isBetween(before, after);
        assertThat(api.all().get("/user/foo")).isEqualTo(route);
    }

    @Test
    void postHandlesUriEscapes() { // api_spec 8
        api.add("/user/foo%40bar", "{\"target\":\"" + other.url() + "\"}");
        assertThat(keys(api.all())).contains("/user/foo@bar").doesNotContain("/user/foo%40bar");
        assertThat(proxied(hub, "/user/foo@bar/path").get("name").asString()).isEqualTo("other");
        assertThat(proxied(hub, "/user/foo%40bar/path").get("name").asString()).isEqualTo("other");
        assertJson(api.get("/user/foo@bar"));
        assertJson(api.get("/user/foo%40bar"));
    }

    @Test
    void postCreatesRootRouteWithAndWithoutSlash() { // api_spec 9, and JupyterHub's POST /api/routes/
        try (HubgateFixture fresh = HubgateFixture.start(c -> c.defaultTarget = backend.url())) {
            ApiClient a = new ApiClient(fresh);
            assertEmpty(a.post("", "{\"target\":\"" + other.url() + "\"}"), 201);
            ObjectNode all = a.all();
            assertThat(keys(all)).containsExactly("/");
            assertThat(all.get("/").get("target").asString()).isEqualTo(other.url());
            assertThat(all.get("/").get("last_activity").asString()).matches(ISO_MILLIS);
            assertThat(proxied(fresh, "/x").get("name").asString()).isEqualTo("other");

            assertEmpty(a.post("/", "{\"target\":\"" + backend.url() + "\",\"hub\":true}"), 201);
            all = a.all();
            assertThat(keys(all)).containsExactly("/");
            assertThat(all.get("/").get("hub").asBoolean()).isTrue();
            assertThat(proxied(fresh, "/x").get("name").asString()).isEqualTo("default");
        }
    }

    @Test
    void deleteRemovesRoute() { // api_spec 10
        api.add("/user/bar", "{\"target\":\"" + other.url() + "\"}");
        assertThat(proxied(hub, "/user/bar/x").get("name").asString()).isEqualTo("other");
        assertEmpty(api.delete("/user/bar"), 204);
        assertEmpty(api.get("/user/bar"), 404);
        assertThat(keys(api.all())).doesNotContain("/user/bar");
        assertThat(proxied(hub, "/user/bar/x").get("name").asString()).isEqualTo("default");
        assertEmpty(api.delete("/user/bar"), 404);
    }

    // api_spec 11 and 12 (inactiveSince) are in InactiveSinceTest.

    // ------------------------------------------------------------ §3.1 routing of API requests

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api", "/api/", "/api/routesX", "/API/routes", "/api/Routes/x", "/api/route",
            "/nope%zz", "/api/routes%zz"})
    void unmatchedPathsAre404NotFound(String path) throws IOException {
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) {
            RawHttp.Response r = raw.exchange("GET", path, null, "Authorization: token secret");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.bodyText()).isEqualTo("Not Found");
            assertThat(r.header("content-type")).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "PATCH", "OPTIONS", "TRACE", "PROPFIND"})
    void otherMethodsAre405(String method) {
        assertText(api.send(method, "/user/x", "{}"), 405, "Method not supported");
        assertText(api.send(method, "", null), 405, "Method not supported");
    }

    @Test
    void headIs405WithoutBody() throws IOException {
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) {
            RawHttp.Response r = raw.exchange("HEAD", "/api/routes", null, "Authorization: token secret");
            assertThat(r.status()).isEqualTo(405);
            // the connection is still usable: the HEAD response carried no body
            assertThat(raw.exchange("GET", "/api/routes", null, "Authorization: token secret").status()).isEqualTo(200);
        }
    }

    @Test
    void queryIsIgnoredOutsideInactiveSince() {
        api.add("/q?foo=bar", "{\"target\":\"" + other.url() + "\"}");
        assertThat(keys(api.all())).contains("/q");
        assertJson(api.get("/q?x=1"));
        assertEmpty(api.send("DELETE", "/q?x=1", null), 204);
    }

    // ------------------------------------------------------------ §3.3 POST bodies

    @Test
    void emptyBodyIs400WithV8Message() {
        assertText(api.post("/bad", null), 400, "Body not valid JSON: SyntaxError: Unexpected end of JSON input");
        assertText(api.post("/bad", "   \n"), 400, "Body not valid JSON: SyntaxError: Unexpected end of JSON input");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{nope", "{\"target\":", "target=http://x", "{\"target\":\"http://127.0.0.1:1\"} trailing",
            "{\"target\":\"http://127.0.0.1:1\"}{}", "[1,]", "NaN", "'x'", "{\"target\":\"http://127.0.0.1:1\",}"})
    void invalidJsonIs400(String body) {
        HttpResponse<String> r = api.post("/bad", body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("Body not valid JSON: SyntaxError: ");
        assertThat(r.headers().firstValue("content-type")).isEmpty();
        assertEmpty(api.get("/bad"), 404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "0", "false", "\"\"", "[]", "[{\"target\":\"http://127.0.0.1:1\"}]",
            "\"http://127.0.0.1:1\"", "42", "true", "{}", "{\"target\":5}", "{\"target\":null}",
            "{\"target\":{\"url\":\"http://127.0.0.1:1\"}}", "{\"target\":[\"http://127.0.0.1:1\"]}",
            "{\"TARGET\":\"http://127.0.0.1:1\"}"})
    void missingOrNonStringTargetIs400(String body) {
        assertText(api.post("/bad", body), 400, "Must specify 'target' as string");
        assertEmpty(api.get("/bad"), 404);
    }

    @ParameterizedTest // Q13
    @ValueSource(strings = {"notaurl", "ftp://127.0.0.1/x", "javascript:alert(1)", "http://", "https:///x",
            "//127.0.0.1:1", "http://127.0.0.1:99999", "http://127.0.0.1:port", "http://a b",
            "http://127.0.0.1:1/a\\nb", "http://127.0.0.1:1/a\\rb", "http://127.0.0.1:1/\\u0000", "ws://127.0.0.1:1",
            "file:///etc/passwd", ""})
    void invalidTargetIs400(String target) {
        HttpResponse<String> r = api.post("/badtarget", "{\"target\":\"" + target + "\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("Invalid 'target': ");
        assertThat(r.headers().firstValue("content-type")).isEmpty();
        assertEmpty(api.get("/badtarget"), 404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:1", "https://hub.example.org/sub/path?x=1", "HTTP://Example.COM:8080",
            "http://[::1]:8888/x", "http+unix://%2Ftmp%2Fhub.sock", "unix+http://%2Ftmp%2Fhub.sock/x",
            "http://user:pw@127.0.0.1:1/", "http://hub:8081"})
    void validTargetsAreStoredVerbatim(String target) {
        assertEmpty(api.post("/goodtarget", "{\"target\":\"" + target + "\"}"), 201);
        assertThat(parse(api.get("/goodtarget").body()).get("target").asString()).isEqualTo(target);
    }

    @ParameterizedTest // Q13: control characters in the route path
    @ValueSource(strings = {"/a%0Ab", "/a%0D%0ASet-Cookie:x", "/a%00", "/a%7F", "/a%09b", "/%1B%5B31m"})
    void controlCharactersInPathAre400(String path) {
        HttpResponse<String> r = api.post(path, "{\"target\":\"http://127.0.0.1:1\"}");
        assertText(r, 400, "Route path must not contain control characters");
        assertThat(api.all().propertyNames()).noneMatch(RoutePaths::hasControlCharacters);
    }

    // ------------------------------------------------------------ JupyterHub's request shapes

    @Test
    void jupyterHubAddRouteWithFormContentType() {
        String body = "{\"user\": \"alice\", \"server_name\": \"\", \"target\": \"" + other.url() + "\", \"jupyterhub\": true}";
        HttpResponse<String> r = api.send("POST", "/user/alice", body,
                "Content-Type", "application/x-www-form-urlencoded");
        assertEmpty(r, 201);
        ObjectNode route = parse(api.get("/user/alice").body());
        assertThat(keys(route)).containsExactly("user", "server_name", "target", "jupyterhub", "last_activity");
        assertThat(route.get("user").asString()).isEqualTo("alice");
        assertThat(route.get("server_name").asString()).isEmpty();
        assertThat(route.get("jupyterhub").isBoolean()).isTrue();
        assertThat(route.get("jupyterhub").asBoolean()).isTrue();
        assertThat(proxied(hub, "/user/alice/lab").get("url").asString()).isEqualTo("/user/alice/lab");
    }

    @Test
    void bodyIsJsonWhateverTheContentType() throws IOException {
        for (String type : List.of("text/plain", "application/octet-stream", "application/json; charset=utf-8",
                "multipart/form-data; boundary=x")) {
            assertEmpty(api.send("POST", "/ct", "{\"target\":\"" + other.url() + "\",\"t\":\"" + type + "\"}",
                    "Content-Type", type), 201);
            assertThat(parse(api.get("/ct").body()).get("t").asString()).isEqualTo(type);
        }
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) { // no Content-Type at all
            assertThat(raw.exchange("POST", "/api/routes/ct", "{\"target\":\"" + other.url() + "\"}",
                    "Authorization: token secret").status()).isEqualTo(201);
        }
    }

    @Test
    void everyDataKeyComesBackUnchanged() {
        String body = "{\"target\":\"" + other.url() + "/user/hideki\",\"user\":\"秀樹\",\"server_name\":\"ünï 😀\","
                + "\"hub\":false,\"service\":\"announce\",\"jupyterhub\":true,"
                + "\"extra\":{\"nested\":{\"list\":[1,2.5,\"three\",null,true,{\"k\":\"v\"}],\"empty\":{}},"
                + "\"quote\\\"back\\\\slash\":\"line\\nbreak\\ttab\\u0001\"},\"n\":-12,\"big\":12345678901234,"
                + "\"nothing\":null}";
        api.add("/user/%E7%A7%80%E6%A8%B9", body);
        ObjectNode expected = parse(body);
        ObjectNode all = api.all();
        assertThat(keys(all)).contains("/user/秀樹");
        ObjectNode route = (ObjectNode) all.get("/user/秀樹");
        assertThat(route.get("last_activity").asString()).matches(ISO_MILLIS);
        ObjectNode withoutActivity = route.deepCopy();
        withoutActivity.remove("last_activity");
        assertThat(withoutActivity).isEqualTo(expected);
        assertThat(keys(route)).containsExactly("target", "user", "server_name", "hub", "service", "jupyterhub",
                "extra", "n", "big", "nothing", "last_activity");
        // the single-route GET, encoded or not, returns the same object
        assertThat(parse(api.get("/user/%E7%A7%80%E6%A8%B9").body())).isEqualTo(route);
        // and the data plane routes the decoded key
        assertThat(proxied(hub, "/user/%E7%A7%80%E6%A8%B9/lab").get("name").asString()).isEqualTo("other");
    }

    @Test
    void keyOrderWithinARoute() {
        api.add("/order/a", "{\"zeta\":1,\"target\":\"http://127.0.0.1:1\",\"alpha\":2,\"mid\":3}");
        assertThat(keys(parse(api.get("/order/a").body()))).containsExactly("zeta", "target", "alpha", "mid",
                "last_activity");
        // a posted last_activity keeps its position, its value is replaced by now
        Instant before = Instant.now().minusMillis(1);
        api.add("/order/b", "{\"target\":\"http://127.0.0.1:1\",\"last_activity\":\"2000-01-01T00:00:00.000Z\",\"user\":\"b\"}");
        ObjectNode b = parse(api.get("/order/b").body());
        assertThat(keys(b)).containsExactly("target", "last_activity", "user");
        assertThat(Instant.parse(b.get("last_activity").asString())).isAfter(before);
        // also in the raw text: no duplicate key
        assertThat(api.get("/order/b").body().split("\"last_activity\"", -1)).hasSize(2);
        // a duplicated key keeps its first position and its last value, as JSON.parse does
        api.add("/order/c", "{\"target\":\"http://127.0.0.1:1\",\"user\":\"x\",\"target\":\"http://127.0.0.1:2\"}");
        ObjectNode c = parse(api.get("/order/c").body());
        assertThat(keys(c)).containsExactly("target", "user", "last_activity");
        assertThat(c.get("target").asString()).isEqualTo("http://127.0.0.1:2");
    }

    @Test
    void extremeNumbersStillListAsValidJson() {
        api.add("/numbers", "{\"target\":\"http://127.0.0.1:1\",\"huge\":1e400,\"tiny\":-1e-400,"
                + "\"big\":123456789012345678901234567890,\"f\":1.5}");
        ObjectNode route = parse(api.get("/numbers").body()); // throws if the listing is not JSON
        assertThat(route.get("f").asDouble()).isEqualTo(1.5);
        assertThat(route.get("big").asString()).isEqualTo("123456789012345678901234567890");
        assertThat(parse(api.get("").body()).has("/numbers")).isTrue();
    }

    @Test
    void numbersAreReturnedAsPosted() { // README difference 16: CHP's JSON.stringify writes 1.0 as 1, 1e2 as 100
        String members = "\"target\":\"http://127.0.0.1:1\",\"n\":[1.0,1e2,-0,0.10,2.5E-3,1E+400,"
                + "123456789012345678901234567890],\"o\":{\"x\":-1.50}";
        api.add("/spelled", "{ " + members.replace(",", " ,\n ") + " }");
        String route = api.get("/spelled").body();
        assertThat(route).startsWith("{" + members + ",\"last_activity\":\"");
        assertThat(api.get("").body()).contains("\"/spelled\":{" + members + ",\"last_activity\":\"");
    }

    @Test
    void pathsWithQuotesAndBackslashesListAsValidJson() {
        api.add("/odd/a%22b%5Cc%20d", "{\"target\":\"http://127.0.0.1:1\",\"note\":\"caf\u00e9\"}");
        ObjectNode all = parse(api.get("").body()); // throws if the listing is not JSON
        assertThat(all.get("/odd/a\"b\\c d").get("note").asString()).isEqualTo("caf\u00e9");
        assertThat(api.get("").body()).contains("\"/odd/a\\\"b\\\\c d\":{\"target\":");
    }

    @Test
    void routesAreListedInInsertionOrderAndRePostKeepsPosition() {
        try (HubgateFixture fresh = HubgateFixture.start(c -> { })) {
            ApiClient a = new ApiClient(fresh);
            assertThat(keys(a.all())).isEmpty();
            assertThat(a.get("").body()).isEqualTo("{}");
            for (String p : List.of("/c", "/a", "/user/z", "/b", "/")) {
                a.add(p, "{\"target\":\"http://127.0.0.1:1\"}");
            }
            assertThat(keys(a.all())).containsExactly("/c", "/a", "/user/z", "/b", "/");
            a.add("/a", "{\"target\":\"http://127.0.0.1:2\"}");
            ObjectNode all = a.all();
            assertThat(keys(all)).containsExactly("/c", "/a", "/user/z", "/b", "/");
            assertThat(all.get("/a").get("target").asString()).isEqualTo("http://127.0.0.1:2");
            assertEmpty(a.delete("/c"), 204);
            a.add("/c", "{\"target\":\"http://127.0.0.1:3\"}");
            assertThat(keys(a.all())).containsExactly("/a", "/user/z", "/b", "/", "/c");
        }
    }

    @Test
    void postReplacesWithoutMerging() {
        api.add("/replace", "{\"target\":\"http://127.0.0.1:1\",\"user\":\"x\",\"extra\":{\"a\":1}}");
        api.add("/replace", "{\"target\":\"http://127.0.0.1:2\",\"other\":true}");
        ObjectNode route = parse(api.get("/replace").body());
        assertThat(keys(route)).containsExactly("target", "other", "last_activity");
        assertThat(route.get("target").asString()).isEqualTo("http://127.0.0.1:2");
    }

    @Test
    void lastActivityIsResetByPostAndRendersExactlyThreeFractionDigits() {
        api.add("/activity", "{\"target\":\"http://127.0.0.1:1\"}");
        var cell = hub.server.routes().table().cellFor("/activity", 0);
        cell.set(1_700_000_000_000L);
        assertThat(parse(api.get("/activity").body()).get("last_activity").asString())
                .isEqualTo("2023-11-14T22:13:20.000Z");
        cell.set(1_700_000_000_007L);
        assertThat(parse(api.get("/activity").body()).get("last_activity").asString())
                .isEqualTo("2023-11-14T22:13:20.007Z");
        Instant before = Instant.now().minusMillis(1);
        api.add("/activity", "{\"target\":\"http://127.0.0.1:1\"}");
        assertThat(Instant.parse(parse(api.get("/activity").body()).get("last_activity").asString())).isAfter(before);
        // reading routes is not activity
        String seen = parse(api.get("/activity").body()).get("last_activity").asString();
        api.all();
        assertThat(parse(api.get("/activity").body()).get("last_activity").asString()).isEqualTo(seen);
    }

    // ------------------------------------------------------------ §3.4 path normalisation

    @Test
    void trailingSlashIsDroppedOnce() {
        api.add("/user/bob/", "{\"target\":\"http://127.0.0.1:1\"}");
        assertThat(keys(api.all())).contains("/user/bob").doesNotContain("/user/bob/");
        assertThat(api.get("/user/bob/").body()).isEqualTo(api.get("/user/bob").body());
        assertEmpty(api.delete("/user/bob/"), 204);
        assertEmpty(api.get("/user/bob"), 404);
    }

    @Test
    void encodedSlashSpaceAndPlusAreDecodedIntoTheKey() {
        api.add("/user%2Fslash", "{\"target\":\"http://127.0.0.1:1\"}");
        api.add("/b%20r/x+y", "{\"target\":\"http://127.0.0.1:1\"}");
        assertThat(keys(api.all())).contains("/user/slash", "/b r/x+y");
        assertJson(api.get("/user/slash"));
        assertJson(api.get("/b%20r/x+y"));
    }

    @Test
    void missingLeadingSlashIsAdded() {
        // unreachable over HTTP (the captured sub-path always starts with '/'): the normaliser itself
        assertThat(RoutePaths.clean("user/bob")).isEqualTo("/user/bob");
        assertThat(RoutePaths.clean("user/bob/")).isEqualTo("/user/bob");
        assertThat(RoutePaths.clean("")).isEqualTo("/");
        assertThat(RoutePaths.clean("/")).isEqualTo("/");
        assertThat(RoutePaths.clean("//dbl//x/")).isEqualTo("//dbl//x"); // nothing collapsed
    }

    @Test
    void dotSegmentsInTheApiPathAreResolved() throws IOException {
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) {
            String body = "{\"target\":\"http://127.0.0.1:1\"}";
            assertThat(raw.exchange("POST", "/api/routes/a/b/../c", body, "Authorization: token secret").status())
                    .isEqualTo(201);
            assertThat(raw.exchange("POST", "/api/routes/d/./e/%2e%2e/f", body, "Authorization: token secret")
                    .status()).isEqualTo(201);
            assertThat(raw.exchange("GET", "/api/routes/x/../a/c", null, "Authorization: token secret").status())
                    .isEqualTo(200);
        }
        assertThat(keys(api.all())).contains("/a/c", "/d/f").doesNotContain("/a/b/../c", "/a/b");
    }

    @Test
    void getWithSlashIsTheTableAndDoubleSlashIsTheRootRoute() { // Q10
        HttpResponse<String> table = api.get("/");
        assertJson(table);
        assertThat(parse(table.body()).has("/")).isTrue();
        HttpResponse<String> root = api.get("//");
        assertJson(root);
        assertThat(keys(parse(root.body()))).contains("target", "last_activity");
        assertThat(parse(root.body())).isEqualTo(parse(table.body()).get("/"));
    }

    @Test
    void deletingRootRouteStopsDefaultRouting() {
        try (HubgateFixture fresh = HubgateFixture.start(c -> c.defaultTarget = backend.url())) {
            ApiClient a = new ApiClient(fresh);
            assertThat(proxied(fresh, "/x").get("name").asString()).isEqualTo("default");
            assertEmpty(a.delete("/"), 204);
            assertThat(keys(a.all())).isEmpty();
            assertThat(fresh.get("/x").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void parentAndChildRoutesAreIndependent() {
        api.add("/fam", "{\"target\":\"http://127.0.0.1:1\"}");
        api.add("/fam/child", "{\"target\":\"http://127.0.0.1:2\"}");
        assertEmpty(api.delete("/fam"), 204);
        assertJson(api.get("/fam/child"));
        assertEmpty(api.get("/fam"), 404);
    }

    // ------------------------------------------------------------ Q5: every request is answered

    @Test
    void deleteWithoutPathIs400() {
        HttpResponse<String> r = api.delete("");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isNotEmpty();
        assertThat(api.delete("?x=1").statusCode()).isEqualTo(400);
        assertThat(keys(api.all())).contains("/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bad%zz", "/bad%", "/bad%4", "/bad%C3%28", "/bad%E0%A4%A", "/bad%FF"})
    void malformedEscapesAre400(String path) throws IOException {
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) {
            for (String method : List.of("GET", "POST", "DELETE")) {
                RawHttp.Response r = raw.exchange(method, "/api/routes" + path,
                        method.equals("POST") ? "{\"target\":\"http://127.0.0.1:1\"}" : null,
                        "Authorization: token secret");
                assertThat(r.status()).as("%s %s", method, path).isEqualTo(400);
                assertThat(r.bodyText()).isEqualTo("Malformed path: URIError: URI malformed");
            }
        }
    }

    // ------------------------------------------------------------ host routing

    @Test
    void hostRoutingAddsHostAfterPostedKeys() {
        try (HubgateFixture hr = HubgateFixture.start(c -> c.hostRouting = true)) {
            ApiClient a = new ApiClient(hr);
            a.add("/", "{\"target\":\"" + backend.url() + "\"}");
            a.add("/example.com", "{\"target\":\"" + other.url() + "\",\"user\":\"u\"}");
            a.add("/example.org/sub/path", "{\"target\":\"http://127.0.0.1:1\"}");
            a.add("/example.net", "{\"host\":\"bogus\",\"target\":\"http://127.0.0.1:1\"}");
            ObjectNode all = a.all();
            assertThat(keys(all)).containsExactly("/", "/example.com", "/example.org/sub/path", "/example.net");
            assertThat(keys((ObjectNode) all.get("/"))).containsExactly("target", "last_activity");
            assertThat(keys((ObjectNode) all.get("/example.com"))).containsExactly("target", "user", "host",
                    "last_activity");
            assertThat(all.get("/example.com").get("host").asString()).isEqualTo("example.com");
            assertThat(all.get("/example.org/sub/path").get("host").asString()).isEqualTo("example.org");
            assertThat(keys((ObjectNode) all.get("/example.net"))).containsExactly("host", "target", "last_activity");
            assertThat(all.get("/example.net").get("host").asString()).isEqualTo("example.net");
        }
    }

    // ------------------------------------------------------------ connections

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws IOException {
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) {
            String auth = "Authorization: token secret";
            RawHttp.Response r1 = raw.exchange("GET", "/api/routes", null, auth);
            assertThat(r1.status()).isEqualTo(200);
            assertThat(r1.header("connection")).isEqualTo("keep-alive");
            assertThat(r1.header("content-type")).isEqualTo("application/json");
            assertThat(raw.exchange("POST", "/api/routes/ka", "{\"target\":\"http://127.0.0.1:1\"}", auth).status())
                    .isEqualTo(201);
            assertThat(raw.exchange("GET", "/api/routes/ka", null, auth).status()).isEqualTo(200);
            assertThat(raw.exchange("GET", "/api/nope", null, auth).status()).isEqualTo(404);
            assertThat(raw.exchange("GET", "/api/routes/ka", null).status()).isEqualTo(403);
            assertThat(raw.exchange("POST", "/api/routes/ka", "{bad", auth).status()).isEqualTo(400);
            assertThat(raw.exchange("PUT", "/api/routes/ka", "{}", auth).status()).isEqualTo(405);
            assertThat(raw.exchange("DELETE", "/api/routes/ka", null, auth).status()).isEqualTo(204);
            RawHttp.Response last = raw.exchange("GET", "/api/routes/ka", null, auth, "Connection: close");
            assertThat(last.status()).isEqualTo(404);
            assertThat(last.header("connection")).isEqualTo("close");
            assertThat(raw.closedWithin(5_000)).isTrue();
        }
    }

    @Test
    void idleKeepAliveConnectionClosesAfterFiveSeconds() throws IOException {
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) {
            assertThat(raw.exchange("GET", "/api/routes", null, "Authorization: token secret").status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(raw.closedWithin(15_000)).isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(3_000L, 15_000L);
        }
    }

    @Test
    void oversizedHeaderIs431AndCloses() throws IOException {
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) {
            RawHttp.Response r = raw.exchange("GET", "/api/routes", null, "Authorization: token secret",
                    "X-Big: " + "x".repeat(20 * 1024));
            assertThat(r.status()).isEqualTo(431);
            assertThat(raw.closedWithin(5_000)).isTrue();
        }
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) { // 12 KiB of headers are fine (Node: 16 KiB)
            RawHttp.Response r = raw.exchange("GET", "/api/routes", null, "Authorization: token secret",
                    "X-Big: " + "x".repeat(12 * 1024));
            assertThat(r.status()).isEqualTo(200);
        }
    }

    @Test
    void garbageRequestIs400AndCloses() throws IOException {
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) {
            raw.send("GET /api/routes HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(400);
            assertThat(raw.closedWithin(5_000)).isTrue();
        }
    }

    @Test
    void apiPathIsParsedLikeWhatwgUrl() throws IOException {
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) {
            String auth = "Authorization: token secret";
            assertThat(raw.exchange("GET", "/api/../api/routes", null, auth).status()).isEqualTo(200);
            assertThat(raw.exchange("GET", "/api/routes/..", null, auth).status()).isEqualTo(404); // "/api/"
            assertThat(raw.exchange("GET", "//api/routes", null, auth).status()).isEqualTo(404); // authority "api"
            assertThat(raw.exchange("GET", "/api/routes#frag", null, auth).status()).isEqualTo(200);
            assertThat(raw.exchange("POST", "/api/routes/back\\slash", "{\"target\":\"http://127.0.0.1:1\"}", auth)
                    .status()).isEqualTo(201);
            assertThat(raw.exchange("GET", "http://127.0.0.1/api/routes/back/slash?x", null, auth).status())
                    .isEqualTo(200);
        }
        assertThat(keys(api.all())).contains("/back/slash");
    }

    @Test
    void http10WithoutKeepAliveCloses() throws IOException {
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) {
            raw.send("GET /api/routes HTTP/1.0\r\nAuthorization: token secret\r\n\r\n");
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(parse(r.bodyText()).has("/")).isTrue();
            assertThat(raw.closedWithin(5_000)).isTrue();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndSeeEarlierWrites() throws IOException {
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) {
            String auth = "Authorization: token secret";
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                batch.append(RawHttp.request("POST", "/api/routes/pipe/" + i,
                        "{\"target\":\"http://127.0.0.1:1\",\"i\":" + i + "}", auth));
                batch.append(RawHttp.request("GET", "/api/routes/pipe/" + i, null, auth));
                batch.append(RawHttp.request("DELETE", "/api/routes/pipe/" + i, null, auth));
                batch.append(RawHttp.request("GET", "/api/routes/pipe/" + i, null, auth));
            }
            raw.send(batch.toString());
            for (int i = 0; i < 5; i++) {
                assertThat(raw.read().status()).as("POST %d", i).isEqualTo(201);
                RawHttp.Response get = raw.read();
                assertThat(get.status()).as("GET %d", i).isEqualTo(200);
                assertThat(parse(get.bodyText()).get("i").asInt()).isEqualTo(i);
                assertThat(raw.read().status()).as("DELETE %d", i).isEqualTo(204);
                assertThat(raw.read().status()).as("GET after DELETE %d", i).isEqualTo(404);
            }
        }
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) { // nothing is answered after a closing response
            String auth = "Authorization: token secret";
            raw.send(RawHttp.request("POST", "/api/routes/pipe/close", "{\"target\":\"http://127.0.0.1:1\"}", auth,
                    "Connection: close") + RawHttp.request("DELETE", "/api/routes/pipe/close", null, auth));
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(raw.closedWithin(5_000)).isTrue();
        }
        assertJson(api.get("/pipe/close"));
    }
}
