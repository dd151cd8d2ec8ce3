package io.hubgate.control;

import io.hubgate.routing.ActivityCell;
import io.hubgate.routing.Route;
import io.hubgate.routing.Target;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds a live {@link Route} from what a store holds: its key and its data object's JSON text. The text
 * is kept as it is (stores return it byte for byte); the target is parsed and the API's JSON fragments
 * are rendered once, here.
 */
final class RouteFactory {

    private final JsonMapper mapper;
    private final RouteJson json;

    RouteFactory(JsonMapper mapper) {
        this.mapper = mapper;
        this.json = new RouteJson(mapper);
    }

    /** @throws IllegalArgumentException if the data is not an object with a valid string target */
    Route build(String path, String dataJson, ActivityCell cell) {
        JsonNode parsed;
        try {
            parsed = mapper.readTree(dataJson);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("its data is not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof ObjectNode data)) {
            throw new IllegalArgumentException("its data is not a JSON object");
        }
        JsonNode target = data.get("target");
        if (target == null || !target.isString()) {
            throw new IllegalArgumentException("its data has no string 'target'");
        }
        Target parsedTarget = Target.parse(target.asString());
        RouteJson.Fragments fragments = data.has(RouteJson.LAST_ACTIVITY) ? json.render(data) : appended(data);
        return new Route(path, parsedTarget, dataJson, fragments.head(), fragments.tail(), cell);
    }

    /**
     * {@link RouteJson#render} for the common case, {@code last_activity} appended after every key: the same
     * text from one serialisation of the whole object instead of one per member (restoring 100,000 routes).
     */
    private RouteJson.Fragments appended(ObjectNode data) {
        String compact = mapper.writeValueAsString(data); // {"k":v,...}
        String head = compact.substring(0, compact.length() - 1) + (data.isEmpty() ? "" : ",")
                + "\"" + RouteJson.LAST_ACTIVITY + "\":\"";
        return new RouteJson.Fragments(head, "\"}");
    }
}
