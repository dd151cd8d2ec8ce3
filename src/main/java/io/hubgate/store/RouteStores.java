package io.hubgate.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Opens the store named by {@code --storage-backend}: {@code memory} (the default, CHP's behaviour) or
 * {@code file:///absolute/state-dir} (a {@link JournalRouteStore} in that directory).
 */
public final class RouteStores {

    /** What {@code --storage-backend} accepts, for messages. */
    public static final String SUPPORTED = "'memory' (the default: routes are kept in memory, as CHP does) and "
            + "'file:///absolute/state-dir' (a journal on local disk)";

    private RouteStores() {
    }

    public static RouteStore open(String backend) throws StoreException {
        if (backend == null || backend.equals("memory")) {
            return new MemoryRouteStore();
        }
        if (backend.regionMatches(true, 0, "file:", 0, 5)) {
            return JournalRouteStore.open(stateDirectory(backend), JournalOptions.fromSystemProperties());
        }
        throw new StoreException("Unknown storage backend '" + backend + "'; this build supports " + SUPPORTED);
    }

    /**
     * The directory named by a {@code file:} URI: absolute, without host, query or fragment; percent-escapes
     * are decoded ({@code file:///srv/hub%20state} is {@code /srv/hub state}).
     */
    public static Path stateDirectory(String fileUri) throws StoreException {
        URI uri;
        try {
            uri = new URI(fileUri);
        } catch (URISyntaxException e) {
            throw new StoreException("Storage backend '" + fileUri + "' is not a valid URI: " + e.getMessage());
        }
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
            throw new StoreException("Storage backend '" + fileUri + "' is not a file: URI");
        }
        if (uri.isOpaque() || uri.getPath() == null || !uri.getPath().startsWith("/")) {
            throw new StoreException("Storage backend '" + fileUri + "' must name an absolute directory, "
                    + "e.g. file:///var/lib/hubgate");
        }
        if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
            throw new StoreException("Storage backend '" + fileUri + "' names a host ('" + uri.getRawAuthority()
                    + "'); a state directory is local: file:///path");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new StoreException("Storage backend '" + fileUri + "' must not have a query or fragment");
        }
        return Path.of(uri.getPath());
    }
}
