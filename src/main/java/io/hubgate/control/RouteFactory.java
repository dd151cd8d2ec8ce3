package io.hubgate.control;

import io.hubgate.json.Json;
import io.hubgate.json.JsonValue;
import io.hubgate.routing.ActivityCell;
import io.hubgate.routing.Route;
import io.hubgate.routing.Target;

/**
 * Builds a live {@link Route} from what a store holds: its key and its data object's JSON text. The text
 * is kept as it is (stores return it byte for byte); the target is parsed and the API's JSON fragments
 * are rendered once, here.
 */
final class RouteFactory {

    /** @throws IllegalArgumentException if the data is not an object with a valid string target */
    Route build(String path, String dataJson, ActivityCell cell) {
        JsonValue data;
        try {
            data = Json.parse(dataJson);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("its data is not valid JSON: " + e.getMessage(), e);
        }
        if (data == null || !data.isObject()) {
            throw new IllegalArgumentException("its data is not a JSON object");
        }
        JsonValue target = data.get("target");
        if (target == null || !target.isString()) {
            throw new IllegalArgumentException("its data has no string 'target'");
        }
        Target parsedTarget = Target.parse(target.asString());
        RouteJson.Fragments fragments;
        if (!data.has(RouteJson.LAST_ACTIVITY)) {
            String compact = Json.write(data);
            if (compact.equals(dataJson)) {
                // what Hubgate itself stores: the route object is the text with last_activity appended, kept once
                return Route.withActivityLast(path, parsedTarget, dataJson, cell);
            }
            fragments = RouteJson.activityLast(compact); // stored with whitespace: rendered compact, as the API does
        } else {
            fragments = RouteJson.render(data);
        }
        return new Route(path, parsedTarget, dataJson, fragments.head(), fragments.tail(), cell);
    }
}
