package io.hubgate.routing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A request-target split into what routing needs and what is forwarded (chp-behaviour §4.3, §4.5, Q7).
 *
 * <ul>
 *   <li>{@link #rawPath()}: the path as received (still percent-encoded), with dot-segments resolved and
 *       leading slashes collapsed to one — the same path is routed and forwarded (Q7 fix);</li>
 *   <li>{@link #query()}: {@code ""} or {@code "?…"} as received;</li>
 *   <li>{@link #decodedPath()}: the percent-decoded (UTF-8) path used for the route lookup.</li>
 * </ul>
 * Absolute-form targets ({@code GET http://h/p}) use their path. Malformed percent-encoding or invalid
 * UTF-8 throws {@link MalformedPathException} (CHP answers 500).
 */
public final class RequestPath {

    private final String rawPath;
    private final String query;
    private final String decodedPath;

    private RequestPath(String rawPath, String query, String decodedPath) {
        this.rawPath = rawPath;
        this.query = query;
        this.decodedPath = decodedPath;
    }

    public static RequestPath parse(String uri) throws MalformedPathException {
        String target = uri;
        if (!target.isEmpty() && target.charAt(0) != '/') {
            // absolute-form: scheme://authority/path?query
            int sep = target.indexOf("://");
            if (sep > 0) {
                int pathStart = target.indexOf('/', sep + 3);
                int queryStart = target.indexOf('?', sep + 3);
                if (pathStart < 0 || (queryStart >= 0 && queryStart < pathStart)) {
                    target = queryStart >= 0 ? "/" + target.substring(queryStart) : "/";
                } else {
                    target = target.substring(pathStart);
                }
            } else if (!target.startsWith("*")) {
                target = "/" + target;
            }
        }
        int hash = target.indexOf('#');
        if (hash >= 0) {
            target = target.substring(0, hash);
        }
        int q = target.indexOf('?');
        String path = q >= 0 ? target.substring(0, q) : target;
        String query = q >= 0 ? target.substring(q) : "";
        if (path.isEmpty()) {
            path = "/";
        }
        int slashes = 0;
        while (slashes < path.length() && path.charAt(slashes) == '/') {
            slashes++;
        }
        if (slashes > 1) {
            path = path.substring(slashes - 1);
        }
        path = removeDotSegments(path);
        return new RequestPath(path, query, decode(path));
    }

    public String rawPath() {
        return rawPath;
    }

    public String query() {
        return query;
    }

    public String decodedPath() {
        return decodedPath;
    }

    /** Path and query as they are forwarded when nothing is prepended or stripped. */
    public String rawPathAndQuery() {
        return query.isEmpty() ? rawPath : rawPath + query;
    }

    /**
     * The raw path with the first {@code segmentCount} decoded segments removed ({@code --no-include-prefix},
     * Q6 fix: strips exactly the matched route's segments, however they were encoded). Returns {@code ""} when
     * nothing is left.
     */
    public String stripSegments(int segmentCount) throws MalformedPathException {
        if (segmentCount == 0) {
            return rawPath;
        }
        int pos = 0;
        int len = rawPath.length();
        while (pos < len && rawPath.charAt(pos) == '/') {
            pos++;
        }
        int remaining = segmentCount;
        while (remaining > 0 && pos < len) {
            int slash = rawPath.indexOf('/', pos);
            int end = slash < 0 ? len : slash;
            String decodedSegment = decode(rawPath.substring(pos, end));
            int count = 1;
            for (int i = 0; i < decodedSegment.length(); i++) {
                if (decodedSegment.charAt(i) == '/') {
                    count++;
                }
            }
            remaining -= count;
            pos = end;
            if (remaining > 0 && pos < len) {
                pos++; // skip the separator
            }
        }
        return rawPath.substring(pos);
    }

    /** Number of segments in a normalised route key, as the trie counts them. */
    public static int segmentCount(String routeKey) {
        return RouteTrie.segments(routeKey).length;
    }

    /**
     * Joins a target path (with optional query) and a request path (with optional query) the way CHP's
     * proxy engine does (§4.5 step 3): one slash at the junction, target query first.
     */
    public static String join(String targetPathAndQuery, String requestPathAndQuery) {
        int tq = targetPathAndQuery.indexOf('?');
        String tPath = tq >= 0 ? targetPathAndQuery.substring(0, tq) : targetPathAndQuery;
        String tQuery = tq >= 0 ? targetPathAndQuery.substring(tq + 1) : "";
        int rq = requestPathAndQuery.indexOf('?');
        String rPath = rq >= 0 ? requestPathAndQuery.substring(0, rq) : requestPathAndQuery;
        String rQuery = rq >= 0 ? requestPathAndQuery.substring(rq + 1) : "";

        StringBuilder out = new StringBuilder(tPath.length() + rPath.length() + tQuery.length() + rQuery.length() + 2);
        out.append(tPath);
        if (!rPath.isEmpty()) {
            boolean tSlash = tPath.endsWith("/");
            boolean rSlash = rPath.charAt(0) == '/';
            if (tSlash && rSlash) {
                out.append(rPath, 1, rPath.length());
            } else if (!tSlash && !rSlash) {
                out.append('/').append(rPath);
            } else {
                out.append(rPath);
            }
        }
        if (out.length() == 0) {
            out.append('/');
        }
        if (!tQuery.isEmpty() || !rQuery.isEmpty()) {
            out.append('?');
            out.append(tQuery);
            if (!tQuery.isEmpty() && !rQuery.isEmpty()) {
                out.append('&');
            }
            out.append(rQuery);
        }
        return out.toString();
    }

    /** RFC 3986 §5.2.4, also treating {@code %2e} as a dot (as the WHATWG URL parser does). */
    static String removeDotSegments(String path) {
        if (path.indexOf('.') < 0 && path.indexOf('%') < 0) {
            return path; // fast path: nothing that could be a dot segment
        }
        String[] segs = path.split("/", -1);
        // segs[0] is "" (path starts with '/')
        java.util.ArrayList<String> out = new java.util.ArrayList<>(segs.length);
        boolean trailingSlash = false;
        for (int i = 1; i < segs.length; i++) {
            String s = segs[i];
            boolean last = i == segs.length - 1;
            if (isDot(s)) {
                trailingSlash = last;
            } else if (isDotDot(s)) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                trailingSlash = last;
            } else {
                out.add(s);
                trailingSlash = false;
            }
        }
        StringBuilder sb = new StringBuilder(path.length());
        for (String s : out) {
            sb.append('/').append(s);
        }
        if (trailingSlash || sb.length() == 0) {
            sb.append('/');
        }
        return sb.toString();
    }

    private static boolean isDot(String s) {
        return s.equals(".") || s.equalsIgnoreCase("%2e");
    }

    private static boolean isDotDot(String s) {
        return s.equals("..") || s.equalsIgnoreCase(".%2e") || s.equalsIgnoreCase("%2e.")
                || s.equalsIgnoreCase("%2e%2e");
    }

    /** Percent-decodes like JavaScript's {@code decodeURIComponent}: strict, UTF-8, {@code +} stays. */
    public static String decode(String s) throws MalformedPathException {
        int firstPercent = s.indexOf('%');
        if (firstPercent < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        StringBuilder out = new StringBuilder(s.length());
        out.append(s, 0, firstPercent);
        int i = firstPercent;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%') {
                bytes.reset();
                while (i < s.length() && s.charAt(i) == '%') {
                    if (i + 2 >= s.length()) {
                        throw new MalformedPathException("URI malformed");
                    }
                    int hi = Character.digit(s.charAt(i + 1), 16);
                    int lo = Character.digit(s.charAt(i + 2), 16);
                    if (hi < 0 || lo < 0) {
                        throw new MalformedPathException("URI malformed");
                    }
                    bytes.write((hi << 4) | lo);
                    i += 3;
                }
                try {
                    out.append(StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes.toByteArray())));
                } catch (CharacterCodingException e) {
                    throw new MalformedPathException("URI malformed");
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** A request path that cannot be decoded (CHP: {@code URIError: URI malformed}). */
    public static final class MalformedPathException extends Exception {
        private static final long serialVersionUID = 1L;

        public MalformedPathException(String message) {
            super(message, null, false, false);
        }
    }
}
