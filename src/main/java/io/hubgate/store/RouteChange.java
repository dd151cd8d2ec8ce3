package io.hubgate.store;

import java.util.Objects;

/**
 * One route change as the change feed delivers it. A put carries the whole route (data and the
 * {@code last_activity} it starts with); a delete only its key.
 */
public record RouteChange(long version, Kind kind, String path, String dataJson, long activityMillis) {

    public enum Kind { PUT, DELETE }

    public RouteChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(path, "path");
        if (kind == Kind.PUT) {
            Objects.requireNonNull(dataJson, "dataJson");
        }
    }

    public static RouteChange put(long version, String path, String dataJson, long activityMillis) {
        return new RouteChange(version, Kind.PUT, path, dataJson, activityMillis);
    }

    public static RouteChange delete(long version, String path) {
        return new RouteChange(version, Kind.DELETE, path, null, 0);
    }
}
