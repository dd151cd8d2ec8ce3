package io.hubgate.store;

import java.util.List;

/**
 * Where the routing table lives between restarts and across instances. The control plane calls these
 * methods from one writer thread, so implementations may block (an fsync, a network round trip) without
 * stalling the data plane, which only ever reads the in-memory {@code RouteTable}.
 */
public interface RouteStore extends AutoCloseable {

    /** The routes to serve at startup, in insertion order. */
    List<StoredRoute> load() throws StoreException;

    /** Makes a put durable (as durable as the store is); returns the new table version. */
    long put(StoredRoute route) throws StoreException;

    /** Makes a delete durable; returns the new table version. */
    long delete(String path) throws StoreException;

    /** Human-readable name for logs, e.g. {@code memory}. */
    String describe();

    @Override
    void close();
}
