package io.hubgate.api;

import static io.hubgate.api.ApiClient.keys;
import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.routing.Timestamps;
import io.hubgate.testing.HubgateFixture;
import io.hubgate.testing.RawHttp;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code inactive_since} filter of {@code GET /api/routes} (chp-behaviour §3.3, api_spec 11–12): both
 * spellings, strictly-earlier comparison, {@code Date.parse}-like formats, and the exact 400 text.
 * Activity in the past is set through the route table's activity cells, as CHP's own suite does.
 */
class InactiveSinceTest {

    static HubgateFixture hub;
    static ApiClient api;
    long now;

    @BeforeAll
    static void start() {
        hub = HubgateFixture.start(b -> b.defaultTarget = "http://127.0.0.1:1");
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @BeforeEach
    void routes() { // api_spec 12's setup: no '/', /yesterday and /today
        api = new ApiClient(hub);
        api.delete("/");
        now = System.currentTimeMillis();
        api.add("/yesterday", "{\"target\":\"http://127.0.0.1:1\"}");
        api.add("/today", "{\"target\":\"http://127.0.0.1:1\"}");
        setActivity("/yesterday", now - 24 * 3600_000L);
        setActivity("/today", now - 60_000L);
    }

    static void setActivity(String key, long millis) {
        hub.server.routes().table().cellFor(key, millis).set(millis);
    }

    static String q(String name, long millis) {
        return "?" + name + "=" + Timestamps.iso(millis);
    }

    @ParameterizedTest
    @ValueSource(strings = {"inactiveSince", "inactive_since"})
    void filtersRoutesInactiveSince(String name) { // api_spec 12
        assertThat(keys(api.all("?" + name + "=1970-01-01T00:00:00.001Z"))).isEmpty();
        assertThat(keys(api.all(q(name, now - 3600_000L)))).containsExactly("/yesterday");
        assertThat(keys(api.all(q(name, now + 3600_000L)))).containsExactly("/yesterday", "/today");
        assertThat(keys(api.all(""))).containsExactly("/yesterday", "/today");
    }

    @Test
    void filterKeepsOnlyStrictlyEarlierActivity() {
        long t = 1_700_000_000_123L;
        setActivity("/yesterday", t - 1000);
        setActivity("/today", t);
        assertThat(keys(api.all(q("inactive_since", t)))).containsExactly("/yesterday");
        assertThat(keys(api.all(q("inactive_since", t + 1)))).containsExactly("/yesterday", "/today");
        assertThat(keys(api.all(q("inactiveSince", t)))).containsExactly("/yesterday");
    }

    @Test
    void filteredRoutesHaveTheFullShape() {
        var all = api.all(q("inactive_since", now + 1000));
        assertThat(keys((tools.jackson.databind.node.ObjectNode) all.get("/yesterday")))
                .containsExactly("target", "last_activity");
        assertThat(all.get("/yesterday").get("last_activity").asString())
                .isEqualTo(Timestamps.iso(now - 24 * 3600_000L));
    }

    @Test
    void camelCaseWinsAndEmptyValuesCountAsAbsent() {
        String far = Timestamps.iso(now + 3600_000L);
        assertThat(keys(api.all("?inactiveSince=" + far + "&inactive_since=1970-01-01T00:00:00.001Z")))
                .containsExactly("/yesterday", "/today");
        assertThat(keys(api.all("?inactiveSince=&inactive_since=" + Timestamps.iso(now - 3600_000L))))
                .containsExactly("/yesterday");
        assertThat(keys(api.all("?inactiveSince=&inactive_since="))).containsExactly("/yesterday", "/today");
        assertThat(keys(api.all("?inactive_since"))).containsExactly("/yesterday", "/today");
    }

    @Test
    void filterAppliesToSlashFormButNotToSingleRoute() {
        assertThat(keys(api.all("/?inactive_since=1970-01-01T00:00:00.001Z"))).isEmpty();
        HttpResponse<String> single = api.get("/today?inactive_since=1970-01-01T00:00:00.001Z");
        assertThat(single.statusCode()).isEqualTo(200);
        assertThat(ApiClient.parse(single.body()).get("target").asString()).isEqualTo("http://127.0.0.1:1");
        assertThat(api.get("/today?inactive_since=endoftheuniverse").statusCode()).isEqualTo(200);
    }

    @Test
    void badValueIs400WithCHPMessage() { // api_spec 11
        for (String name : new String[] {"inactiveSince", "inactive_since"}) {
            HttpResponse<String> r = api.get("?" + name + "=endoftheuniverse");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).isEqualTo("Invalid datestamp 'endoftheuniverse' must be ISO8601.");
            assertThat(r.headers().firstValue("content-type")).isEmpty();
        }
        assertThat(api.get("?inactive_since=1700000000").body())
                .isEqualTo("Invalid datestamp '1700000000' must be ISO8601.");
        assertThat(api.get("?inactive_since=2026-13-45").statusCode()).isEqualTo(400);
        assertThat(api.get("?inactive_since=" + URLEncoder.encode("not a date ☃", StandardCharsets.UTF_8)).body())
                .isEqualTo("Invalid datestamp 'not a date ☃' must be ISO8601.");
    }

    @Test
    void malformedEscapeInQueryIsAnsweredNot500OrHang() throws IOException { // Q5: every request gets an answer
        try (RawHttp raw = new RawHttp(hub.server.apiPort())) {
            RawHttp.Response r = raw.exchange("GET", "/api/routes?inactive_since=%zz", null, "Authorization: token secret");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).isEqualTo("Invalid datestamp '%zz' must be ISO8601.");
            RawHttp.Response other = raw.exchange("GET", "/api/routes?foo=%zz&inactive_since=", null,
                    "Authorization: token secret");
            assertThat(other.status()).isEqualTo(200);
        }
    }

    @Test
    void acceptsTheFormsDateParseAccepts() {
        // date-only: UTC midnight
        assertThat(keys(api.all("?inactive_since=2999-01-01"))).containsExactly("/yesterday", "/today");
        assertThat(keys(api.all("?inactive_since=1999-01-01"))).isEmpty();
        // RFC 1123
        assertThat(keys(api.all("?inactive_since=" + URLEncoder.encode("Tue, 01 Jan 2999 00:00:00 GMT",
                StandardCharsets.UTF_8)))).containsExactly("/yesterday", "/today");
        // offset, with '+' sent encoded
        assertThat(keys(api.all("?inactive_since=" + URLEncoder.encode("2999-01-01T00:00:00+01:00",
                StandardCharsets.UTF_8)))).containsExactly("/yesterday", "/today");
        // no zone: local time
        LocalDateTime local = LocalDateTime.ofInstant(Instant.ofEpochMilli(now - 3600_000L), ZoneId.systemDefault())
                .truncatedTo(ChronoUnit.SECONDS);
        assertThat(keys(api.all("?inactive_since=" + local))).containsExactly("/yesterday");
    }

    @Test
    void parserUnit() {
        assertThat(InactiveSince.parse("1970-01-01T00:00:00.001Z")).isEqualTo(1L);
        assertThat(InactiveSince.parse("2026-11-22T08:42:39.776Z")).isEqualTo(Instant.parse("2026-11-22T08:42:39.776Z").toEpochMilli());
        assertThat(InactiveSince.parse("2026-11-22T09:42:39.776+01:00")).isEqualTo(Instant.parse("2026-11-22T08:42:39.776Z").toEpochMilli());
        assertThat(InactiveSince.parse("2026-11-22")).isEqualTo(Instant.parse("2026-11-22T00:00:00Z").toEpochMilli());
        assertThat(InactiveSince.parse("2026-11")).isEqualTo(Instant.parse("2026-11-01T00:00:00Z").toEpochMilli());
        assertThat(InactiveSince.parse("2026")).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
        assertThat(InactiveSince.parse("Sun, 22 Nov 2026 08:42:39 GMT")).isEqualTo(Instant.parse("2026-11-22T08:42:39Z").toEpochMilli());
        assertThat(InactiveSince.parse("2026-11-22T08:42:39")).isEqualTo(LocalDateTime.parse("2026-11-22T08:42:39")
                .atZone(ZoneId.systemDefault()).toInstant().toEpochMilli());
        // what Python's datetime produces: six fraction digits, or a space instead of 'T'
        assertThat(InactiveSince.parse("2026-11-22T08:42:39.776123Z")).isEqualTo(Instant.parse("2026-11-22T08:42:39.776Z").toEpochMilli());
        assertThat(InactiveSince.parse("2026-11-22 08:42:39+00:00")).isEqualTo(Instant.parse("2026-11-22T08:42:39Z").toEpochMilli());
        assertThat(InactiveSince.parse("2026-11-22T08:42Z")).isEqualTo(Instant.parse("2026-11-22T08:42:00Z").toEpochMilli());
        for (String bad : new String[] {"", "endoftheuniverse", "1700000000", "2026-13-01", "yesterday", "%zz",
                "2999-01-01T00:00:00 01:00"}) {
            assertThat(InactiveSince.parse(bad)).as(bad).isNull();
        }
    }
}
