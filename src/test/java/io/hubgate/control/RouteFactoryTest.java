package io.hubgate.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hubgate.routing.ActivityCell;
import io.hubgate.routing.Route;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Routes built from stored data render exactly as {@link RouteJson} renders the same data, byte for byte. */
class RouteFactoryTest {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

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
        Route route = new RouteFactory(MAPPER).build("/p", stored, new ActivityCell(0));
        RouteJson.Fragments expected = new RouteJson(MAPPER).render((ObjectNode) MAPPER.readTree(stored));
        assertThat(route.jsonHead()).isEqualTo(expected.head());
        assertThat(route.jsonTail()).isEqualTo(expected.tail());
        assertThat(route.dataJson()).isSameAs(stored);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"x\"", "{\"target\":1}", "{}", "{\"target\":\"ftp://x\"}", "{not json"})
    void dataThatCannotBeServedIsRefused(String stored) {
        assertThatThrownBy(() -> new RouteFactory(MAPPER).build("/p", stored, new ActivityCell(0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
