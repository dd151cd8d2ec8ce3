package io.hubgate.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The pre-rendered route object around {@code last_activity} (chp-behaviour §3.3 key order). */
class RouteJsonTest {

    /** An independent reader to compare what was rendered. */
    static final JsonMapper MAPPER = JsonMapper.builder().build();
    static final String TS = "2026-11-22T08:42:39.776Z";

    static String render(String data) {
        RouteJson.Fragments f = RouteJson.render(Json.parse(data));
        return f.head() + TS + f.tail();
    }

    @Test
    void lastActivityGoesLast() {
        assertThat(render("{\"target\":\"http://h:1\"}"))
                .isEqualTo("{\"target\":\"http://h:1\",\"last_activity\":\"" + TS + "\"}");
        assertThat(render("{\"user\":\"bob\",\"target\":\"http://h:1\",\"jupyterhub\":true,\"server_name\":\"\"}"))
                .isEqualTo("{\"user\":\"bob\",\"target\":\"http://h:1\",\"jupyterhub\":true,\"server_name\":\"\","
                        + "\"last_activity\":\"" + TS + "\"}");
    }

    @Test
    void postedLastActivityKeepsItsPlaceWithANewValue() {
        assertThat(render("{\"last_activity\":\"old\",\"target\":\"t\"}"))
                .isEqualTo("{\"last_activity\":\"" + TS + "\",\"target\":\"t\"}");
        assertThat(render("{\"a\":1,\"last_activity\":null,\"b\":2,\"c\":3}"))
                .isEqualTo("{\"a\":1,\"last_activity\":\"" + TS + "\",\"b\":2,\"c\":3}");
        assertThat(render("{\"target\":\"t\",\"last_activity\":{\"x\":1}}"))
                .isEqualTo("{\"target\":\"t\",\"last_activity\":\"" + TS + "\"}");
    }

    @Test
    void emptyObjectRendersOnlyLastActivity() {
        assertThat(render("{}")).isEqualTo("{\"last_activity\":\"" + TS + "\"}");
    }

    @Test
    void valuesAreRenderedAsValidEquivalentJson() {
        String data = "{\"target\":\"t\",\"u\":\"秀樹 😀\",\"esc\":\"q\\\"b\\\\s\\n\\u0001\\u2028\","
                + "\"nested\":{\"l\":[1,-2.5,null,false,{}],\"e\":[]},\"key \\\"quoted\\\"\":0}";
        String out = render(data);
        ObjectNode parsed = (ObjectNode) MAPPER.readTree(out);
        ObjectNode expected = (ObjectNode) MAPPER.readTree(data);
        expected.put("last_activity", TS);
        assertThat(parsed).isEqualTo(expected);
        assertThat(out).contains("秀樹 😀"); // unicode stays literal, as JSON.stringify writes it
    }
}
