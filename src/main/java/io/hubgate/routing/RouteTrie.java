package io.hubgate.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Longest-prefix match on whole path segments (chp-behaviour §4.3), as CHP's URL trie: the path is split
 * after stripping every leading and trailing {@code /}; empty inner segments (from {@code //}) are real
 * segments; nodes without a route are transparent.
 *
 * <p>Concurrency: exactly one writer thread (the table's applier) and any number of lock-free readers.
 * Each change publishes a single volatile reference (a node's route), so a reader sees the table either
 * before or after a change. Cost per lookup is O(segments), independent of the number of routes.
 */
final class RouteTrie {

    static final class Node {
        /** Created on the first child: most nodes are leaves (one per user), so this saves a map each. */
        private volatile ConcurrentHashMap<String, Node> children;
        volatile Route route;

        Node child(Object segment) {
            ConcurrentHashMap<String, Node> c = children;
            return c == null ? null : c.get(segment);
        }

        /** Writer only. */
        Node childOrCreate(String segment) {
            ConcurrentHashMap<String, Node> c = children;
            if (c == null) {
                c = new ConcurrentHashMap<>(2);
                children = c;
            }
            return c.computeIfAbsent(segment, s -> new Node());
        }

        int childCount() {
            ConcurrentHashMap<String, Node> c = children;
            return c == null ? 0 : c.size();
        }

        boolean hasChildren() {
            ConcurrentHashMap<String, Node> c = children;
            return c != null && !c.isEmpty();
        }

        /** Writer only. */
        void removeChild(String segment, Node child) {
            ConcurrentHashMap<String, Node> c = children;
            if (c != null) {
                c.remove(segment, child);
            }
        }
    }

    private final Node root = new Node();

    Route lookup(String path) {
        Node node = root;
        Route best = node.route;
        int len = path.length();
        int start = 0;
        while (start < len && path.charAt(start) == '/') {
            start++;
        }
        int end = len;
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        // One small object per lookup instead of a String per segment; escape analysis usually removes it.
        SegmentKey segment = new SegmentKey(path);
        while (start < end) {
            int slash = path.indexOf('/', start);
            if (slash < 0 || slash > end) {
                slash = end;
            }
            Node child = node.child(segment.of(start, slash));
            if (child == null) {
                break;
            }
            node = child;
            Route r = node.route;
            if (r != null) {
                best = r;
            }
            start = slash + 1;
            if (slash == end) {
                break;
            }
        }
        return best;
    }

    /**
     * One segment of a looked-up path, used as the key of {@code children.get} so that no substring is
     * allocated per segment. {@link Map#get} is specified to match by {@code key.equals(k)} and the key's
     * {@code hashCode}, so it is enough that this equals a String with the same characters and hashes like one.
     * Never stored in a map (and not symmetric with {@link String#equals}: only for lookups).
     */
    static final class SegmentKey {
        private final String path;
        private int start;
        private int length;
        private int hash;

        SegmentKey(String path) {
            this.path = path;
        }

        SegmentKey of(int start, int end) {
            this.start = start;
            this.length = end - start;
            int h = 0;
            for (int i = start; i < end; i++) {
                h = 31 * h + path.charAt(i); // String.hashCode's definition
            }
            this.hash = h;
            return this;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof String s && s.length() == length && s.regionMatches(0, path, start, length);
        }

        @Override
        public String toString() {
            return path.substring(start, start + length);
        }
    }

    /** The route stored at exactly this key's node (no prefix match), or null. */
    Route exact(String path) {
        Node node = find(path);
        return node == null ? null : node.route;
    }

    /** The node for a key (with or without a route), or null if there is none. */
    Node find(String path) {
        Node node = root;
        for (String segment : segments(path)) {
            node = node.child(segment);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    void put(Route route) {
        Node node = root;
        for (String segment : segments(route.path())) {
            node = node.childOrCreate(segment);
        }
        node.route = route;
    }

    void remove(String path) {
        String[] segs = segments(path);
        Node[] trail = new Node[segs.length + 1];
        trail[0] = root;
        Node node = root;
        for (int i = 0; i < segs.length; i++) {
            node = node.child(segs[i]);
            if (node == null) {
                return;
            }
            trail[i + 1] = node;
        }
        node.route = null;
        // Prune branches that no longer lead to any route, bottom-up.
        for (int i = segs.length; i > 0; i--) {
            Node n = trail[i];
            if (n.route != null || n.hasChildren()) {
                break;
            }
            trail[i - 1].removeChild(segs[i - 1], n);
        }
    }

    /**
     * The key as the trie sees it: leading and trailing slashes reduced to one leading slash. Keys that differ
     * only there ({@code /a}, {@code //a}, {@code /a/}) share one node.
     */
    static String canonicalKey(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return start == 1 && end == path.length() ? path : "/" + path.substring(start, end);
    }

    static String[] segments(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        if (start == end) {
            return new String[0];
        }
        return path.substring(start, end).split("/", -1);
    }
}
