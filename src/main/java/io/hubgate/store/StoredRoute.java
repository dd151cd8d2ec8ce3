package io.hubgate.store;

import java.util.Objects;

/**
 * A route as stores keep it: the normalised key, the data object as JSON text (what the client POSTed,
 * plus {@code host} in host-routing mode; kept byte for byte) and the last activity in epoch milliseconds.
 */
public record StoredRoute(String path, String dataJson, long lastActivityMillis) {

    public StoredRoute {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(dataJson, "dataJson");
    }
}
