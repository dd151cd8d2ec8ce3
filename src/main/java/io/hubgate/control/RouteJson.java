package io.hubgate.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

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

    private final JsonMapper mapper;

    public RouteJson(JsonMapper mapper) {
        this.mapper = mapper;
    }

    public Fragments render(ObjectNode data) {
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        boolean seen = false;
        for (Map.Entry<String, JsonNode> field : data.properties()) {
            if (field.getKey().equals(LAST_ACTIVITY)) {
                seen = true;
                continue;
            }
            String rendered = mapper.writeValueAsString(field.getKey()) + ":" + mapper.writeValueAsString(field.getValue());
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
}
