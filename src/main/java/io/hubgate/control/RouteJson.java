package io.hubgate.control;

import io.hubgate.json.Json;
import io.hubgate.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a route's data object into the two fragments a {@code Route} keeps around its
 * {@code last_activity} value (chp-behaviour §3.3: POSTed keys in POST order, {@code host} after them,
 * {@code last_activity} last unless the body already had it, in which case it keeps its place).
 */
public final class RouteJson {

    public static final String LAST_ACTIVITY = "last_activity";

    /** Head and tail fragments: {@code head + "<iso timestamp>" + tail} is the route object. */
    public record Fragments(String head, String tail) {
    }

    private RouteJson() {
    }

    /** @param data a JSON object */
    public static Fragments render(JsonValue data) {
        if (!data.has(LAST_ACTIVITY)) {
            return activityLast(Json.write(data));
        }
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        boolean seen = false;
        for (Map.Entry<String, JsonValue> field : data.members().entrySet()) {
            if (field.getKey().equals(LAST_ACTIVITY)) {
                seen = true;
                continue;
            }
            String rendered = Json.quote(field.getKey()) + ":" + Json.write(field.getValue());
            (seen ? after : before).add(rendered);
        }
        StringBuilder head = new StringBuilder("{");
        head.append(String.join(",", before));
        if (!before.isEmpty()) {
            head.append(',');
        }
        head.append("\"" + LAST_ACTIVITY + "\":\"");
        StringBuilder tail = new StringBuilder("\"");
        if (!after.isEmpty()) {
            tail.append(',').append(String.join(",", after));
        }
        tail.append('}');
        return new Fragments(head.toString(), tail.toString());
    }

    /**
     * The common case, {@code last_activity} appended after every key, from the object's compact text
     * ({@link Json#write}): one serialisation of the whole object instead of one per member (restoring 100,000
     * routes).
     */
    static Fragments activityLast(String compact) {
        String head = compact.substring(0, compact.length() - 1) + (compact.length() > 2 ? "," : "")
                + "\"" + LAST_ACTIVITY + "\":\"";
        return new Fragments(head, "\"}");
    }
}
