package io.hubgate.routing;

import java.util.Objects;

/**
 * One entry of the routing table: the normalised key, the target parsed once at write time, the
 * client's JSON data pre-rendered around the {@code last_activity} value, and the activity cell.
 *
 * <p>The JSON is kept as two fragments so that listing 100,000 routes is string concatenation, not
 * re-serialisation: {@code jsonHead + "2026-11-22T08:42:39.776Z" + jsonTail} is the route object exactly
 * as the API returns it (keys in POST order, {@code host} after them, {@code last_activity} last unless
 * the body already had it).
 */
public final class Route {

    private final String path;
    private final Target target;
    private final String dataJson;
    private final String jsonHead;
    private final String jsonTail;
    private final ActivityCell activity;

    public Route(String path, Target target, String dataJson, String jsonHead, String jsonTail,
                 ActivityCell activity) {
        this.path = Objects.requireNonNull(path, "path");
        this.target = Objects.requireNonNull(target, "target");
        this.dataJson = Objects.requireNonNull(dataJson, "dataJson");
        this.jsonHead = Objects.requireNonNull(jsonHead, "jsonHead");
        this.jsonTail = Objects.requireNonNull(jsonTail, "jsonTail");
        this.activity = Objects.requireNonNull(activity, "activity");
    }

    /** The normalised route key, e.g. {@code /user/alice} or {@code /}. */
    public String path() {
        return path;
    }

    public Target target() {
        return target;
    }

    /** The stored data object (without {@code last_activity}), as JSON text; what stores persist. */
    public String dataJson() {
        return dataJson;
    }

    public String jsonHead() {
        return jsonHead;
    }

    public String jsonTail() {
        return jsonTail;
    }

    public ActivityCell activity() {
        return activity;
    }

    /** Appends the route object as the API returns it. */
    public void renderJson(StringBuilder out) {
        out.append(jsonHead);
        Timestamps.appendIso(out, activity.millis());
        out.append(jsonTail);
    }

    @Override
    public String toString() {
        return path + " -> " + target;
    }
}
