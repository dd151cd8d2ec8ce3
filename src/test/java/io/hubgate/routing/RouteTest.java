package io.hubgate.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hubgate.json.Utf8Buffer;
import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void rendersTheJsonAroundTheCurrentActivity() {
        ActivityCell cell = new ActivityCell(1795336959776L);
        Route r = new Route("/user/alice", Target.parse("http://127.0.0.1:8000"),
                "{\"target\":\"http://127.0.0.1:8000\"}",
                "{\"target\":\"http://127.0.0.1:8000\",\"last_activity\":\"", "\"}", cell);
        Utf8Buffer out = new Utf8Buffer(16);
        r.renderJson(out);
        assertThat(out.toString())
                .isEqualTo("{\"target\":\"http://127.0.0.1:8000\",\"last_activity\":\"2026-11-22T08:42:39.776Z\"}");

        cell.touch(1795336959777L);
        out = new Utf8Buffer(16);
        r.renderJson(out);
        assertThat(out.toString()).contains("\"2026-11-22T08:42:39.777Z\"");
    }

    @Test
    void aRouteWithActivityLastRendersItsDataWithTheActivityAppended() {
        ActivityCell cell = new ActivityCell(1795336959776L);
        String data = "{\"user\":\"a\",\"target\":\"http://127.0.0.1:8000\"}";
        Route r = Route.withActivityLast("/user/a", Target.parse("http://127.0.0.1:8000"), data, cell);
        Utf8Buffer out = new Utf8Buffer(16).append('x');
        r.renderJson(out);
        assertThat(out.toString()).isEqualTo("x{\"user\":\"a\",\"target\":\"http://127.0.0.1:8000\","
                + "\"last_activity\":\"2026-11-22T08:42:39.776Z\"}");
        assertThat(r.jsonHead()).isEqualTo("{\"user\":\"a\",\"target\":\"http://127.0.0.1:8000\",\"last_activity\":\"");
        assertThat(r.jsonTail()).isEqualTo("\"}");
        assertThat(r.dataJson()).isSameAs(data);

        Route empty = Route.withActivityLast("/", Target.parse("http://h"), "{}", cell);
        out = new Utf8Buffer(16);
        empty.renderJson(out);
        assertThat(out.toString()).isEqualTo("{\"last_activity\":\"2026-11-22T08:42:39.776Z\"}");
        assertThatThrownBy(() -> Route.withActivityLast("/", Target.parse("http://h"), "[]", cell))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonAsciiDataAndPathsRenderAsUtf8() {
        ActivityCell cell = new ActivityCell(1795336959776L);
        Route compact = Route.withActivityLast("/user/秀樹", Target.parse("http://h"),
                "{\"user\":\"秀樹\",\"target\":\"http://h\"}", cell);
        Utf8Buffer out = new Utf8Buffer(4);
        compact.renderQuotedPath(out);
        out.append(':');
        compact.renderJson(out);
        assertThat(out.toString()).isEqualTo("\"/user/秀樹\":{\"user\":\"秀樹\",\"target\":\"http://h\","
                + "\"last_activity\":\"2026-11-22T08:42:39.776Z\"}");

        Route general = new Route("/q\"b\\s", Target.parse("http://h"), "{\"a\":\"ü\"}", "{\"a\":\"ü\",\"last_activity\":\"",
                "\",\"z\":1}", cell);
        out = new Utf8Buffer(4);
        general.renderQuotedPath(out);
        general.renderJson(out);
        assertThat(out.toString()).isEqualTo("\"/q\\\"b\\\\s\"{\"a\":\"ü\",\"last_activity\":\"2026-11-22T08:42:39.776Z\",\"z\":1}");
    }

    @Test
    void accessorsAndToString() {
        ActivityCell cell = new ActivityCell(0);
        Target t = Target.parse("http://h:1/x");
        Route r = new Route("/a", t, "{}", "{", "}", cell);
        assertThat(r.path()).isEqualTo("/a");
        assertThat(r.target()).isSameAs(t);
        assertThat(r.dataJson()).isEqualTo("{}");
        assertThat(r.activity()).isSameAs(cell);
        assertThat(r.toString()).isEqualTo("/a -> http://h:1/x");
    }

    @Test
    void everyPartIsRequired() {
        Target t = Target.parse("http://h");
        ActivityCell c = new ActivityCell(0);
        assertThatThrownBy(() -> new Route(null, t, "{}", "{", "}", c)).isInstanceOf(NullPointerException.class)
                .hasMessage("path");
        assertThatThrownBy(() -> new Route("/", null, "{}", "{", "}", c)).hasMessage("target");
        assertThatThrownBy(() -> new Route("/", t, null, "{", "}", c)).hasMessage("dataJson");
        assertThatThrownBy(() -> new Route("/", t, "{}", null, "}", c)).hasMessage("jsonHead");
        assertThatThrownBy(() -> new Route("/", t, "{}", "{", null, c)).hasMessage("jsonTail");
        assertThatThrownBy(() -> new Route("/", t, "{}", "{", "}", null)).hasMessage("activity");
    }
}
