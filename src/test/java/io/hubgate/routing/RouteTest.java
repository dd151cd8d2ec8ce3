package io.hubgate.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void rendersTheJsonAroundTheCurrentActivity() {
        ActivityCell cell = new ActivityCell(1795336959776L);
        Route r = new Route("/user/alice", Target.parse("http://127.0.0.1:8000"),
                "{\"target\":\"http://127.0.0.1:8000\"}",
                "{\"target\":\"http://127.0.0.1:8000\",\"last_activity\":\"", "\"}", cell);
        StringBuilder out = new StringBuilder();
        r.renderJson(out);
        assertThat(out.toString())
                .isEqualTo("{\"target\":\"http://127.0.0.1:8000\",\"last_activity\":\"2026-11-22T08:42:39.776Z\"}");

        cell.touch(1795336959777L);
        out.setLength(0);
        r.renderJson(out);
        assertThat(out.toString()).contains("\"2026-11-22T08:42:39.777Z\"");
    }

    @Test
    void aRouteWithActivityLastRendersItsDataWithTheActivityAppended() {
        ActivityCell cell = new ActivityCell(1795336959776L);
        String data = "{\"user\":\"a\",\"target\":\"http://127.0.0.1:8000\"}";
        Route r = Route.withActivityLast("/user/a", Target.parse("http://127.0.0.1:8000"), data, cell);
        StringBuilder out = new StringBuilder("x");
        r.renderJson(out);
        assertThat(out.toString()).isEqualTo("x{\"user\":\"a\",\"target\":\"http://127.0.0.1:8000\","
                + "\"last_activity\":\"2026-11-22T08:42:39.776Z\"}");
        assertThat(r.jsonHead()).isEqualTo("{\"user\":\"a\",\"target\":\"http://127.0.0.1:8000\",\"last_activity\":\"");
        assertThat(r.jsonTail()).isEqualTo("\"}");
        assertThat(r.dataJson()).isSameAs(data);

        Route empty = Route.withActivityLast("/", Target.parse("http://h"), "{}", cell);
        out.setLength(0);
        empty.renderJson(out);
        assertThat(out.toString()).isEqualTo("{\"last_activity\":\"2026-11-22T08:42:39.776Z\"}");
        assertThatThrownBy(() -> Route.withActivityLast("/", Target.parse("http://h"), "[]", cell))
                .isInstanceOf(IllegalArgumentException.class);
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
