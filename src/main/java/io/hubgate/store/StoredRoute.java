package io.hubgate.store;

/**
 * A route as stores keep it: the normalised key, the data object as JSON text (what the client POSTed,
 * plus {@code host} in host-routing mode) and the last activity in epoch milliseconds.
 */
public record StoredRoute(String path, String dataJson, long lastActivityMillis) {
}
