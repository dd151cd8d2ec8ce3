package io.hubgate.store;

import java.util.List;

/**
 * The whole table at one version: routes in insertion order (CHP lists them so), each with its
 * stored {@code last_activity}.
 */
public record StoreSnapshot(String epoch, long version, List<StoredRoute> routes) {

    public StoreSnapshot {
        routes = List.copyOf(routes);
    }
}
