package io.hubgate.store;

import java.util.List;

/**
 * CHP's behaviour: routes live only in the process's memory (the {@code RouteTable} itself) and are gone
 * when it exits. This store only numbers the changes.
 */
public final class MemoryRouteStore implements RouteStore {

    private long version;

    @Override
    public List<StoredRoute> load() {
        return List.of();
    }

    @Override
    public long put(StoredRoute route) {
        return ++version;
    }

    @Override
    public long delete(String path) {
        return ++version;
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {
    }
}
