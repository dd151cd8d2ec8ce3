package io.hubgate.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hubgate.routing.ActivityCell;
import io.hubgate.routing.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Routes built from stored data render as the same object with {@code last_activity} added (checked with
 * Jackson's data binding as an independent reader), and keep the stored text itself.
 */
class RouteFactoryTest {

    static final JsonMapper MAPPER = JsonMapper.builder().build();
    static final String TS = "2026-11-22T08:42:39.776Z";

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"target\":\"http://127.0.0.1:1\"}",
        "{\"user\":\"bob\",\"target\":\"http://h:1\",\"jupyterhub\":true,\"server_name\":\"\"}",
        "{\"target\":\"http://h:1\",\"u\":\"秀樹 😀\",\"esc\":\"q\\\"b\\\\s\\n\\u0001\\u2028\",\"n\":[1,-2.5,1.0,1e300,"
                + "123456789012345678901234567890,-0.0,null,false,{}],\"key \\\"quoted\\\"\":{\"a\":{}}}",
        "{\"last_activity\":\"old\",\"target\":\"http://h:1\"}",
        "{\"target\":\"http://h:1\",\"a\":1,\"last_activity\":null,\"b\":2}",
        "{  \"target\" : \"http://h:1\" ,\n \"spaced\" : [ 1 , 2 ] }"})
    void storedDataRendersLikeTheApi(String stored) {
        Route route = new RouteFactory().build("/p", stored, new ActivityCell(0));
        ObjectNode expected = (ObjectNode) MAPPER.readTree(stored);
        expected.put("last_activity", TS);
        assertThat(MAPPER.readTree(route.jsonHead() + TS + route.jsonTail())).isEqualTo(expected);
        assertThat(route.dataJson()).isSameAs(stored);
    }

    @Test
    void numbersKeepTheirSpelling() {
        String stored = "{\"target\":\"http://h:1\",\"n\":[1.0,1e2,-0,1E+400,0.10,123456789012345678901234567890],"
                + "\"o\":{\"x\":2.50}}";
        Route route = new RouteFactory().build("/p", stored, new ActivityCell(0));
        assertThat(route.jsonHead() + TS + route.jsonTail())
                .isEqualTo(stored.substring(0, stored.length() - 1) + ",\"last_activity\":\"" + TS + "\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"x\"", "{\"target\":1}", "{}", "{\"target\":\"ftp://x\"}", "{not json", "", "{\"target\":\"http://h:1\"} x"})
    void dataThatCannotBeServedIsRefused(String stored) {
        assertThatThrownBy(() -> new RouteFactory().build("/p", stored, new ActivityCell(0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
