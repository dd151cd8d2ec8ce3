package io.hubgate.store;

/** Picks the store named by {@code --storage-backend}. */
public final class RouteStores {

    private RouteStores() {
    }

    public static RouteStore open(String backend) throws StoreException {
        if (backend == null || backend.equals("memory")) {
            return new MemoryRouteStore();
        }
        throw new StoreException("Unknown storage backend '" + backend + "' (this build supports: memory)");
    }
}
