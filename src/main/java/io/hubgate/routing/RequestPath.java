package io.hubgate.routing;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * A request-target split into what routing needs and what is forwarded (chp-behaviour §4.3, §4.5, Q7).
 *
 * <ul>
 *   <li>{@link #rawPath()}: the path as received (still percent-encoded), always starting with {@code /}, with
 *       {@code \} read as {@code /}, dot-segments resolved and leading slashes collapsed to one — the same
 *       path is routed and forwarded (Q7 fix);</li>
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
        String target = originForm(uri);
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
        // Node's URL parser (which CHP routes and forwards by) treats '\' as '/' in http URLs.
        path = path.replace('\\', '/');
        path = removeDotSegments(path);
        // Q7: collapse leading slashes after dot-segment removal, which can create new ones ("/a/..//x").
        int slashes = 0;
        while (slashes < path.length() && path.charAt(slashes) == '/') {
            slashes++;
        }
        if (slashes > 1) {
            path = path.substring(slashes - 1);
        }
        return new RequestPath(path, query, decode(path));
    }

    /**
     * The request-target as a path starting with {@code /} (plus query and fragment): absolute-form targets
     * ({@code http://h/p}) lose scheme and authority; anything else that does not start with {@code /}
     * ({@code *}, {@code foo}) is taken as a path, as {@code new URL(target, base)} does.
     */
    private static String originForm(String uri) {
        if (uri.isEmpty()) {
            return "/";
        }
        if (uri.charAt(0) == '/') {
            return uri;
        }
        int sep = schemeEnd(uri);
        if (sep < 0) {
            return "/" + uri;
        }
        int authorityStart = sep + 3;
        for (int i = authorityStart; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '/' || c == '\\') {
                return uri.substring(i);
            }
            if (c == '?') {
                return "/" + uri.substring(i);
            }
            if (c == '#') {
                break;
            }
        }
        return "/";
    }

    /** Index of {@code "://"} after a syntactically valid scheme (RFC 3986 §3.1), or -1. */
    private static int schemeEnd(String uri) {
        char first = uri.charAt(0);
        if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
            return -1;
        }
        for (int i = 1; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == ':') {
                return uri.startsWith("://", i) ? i : -1;
            }
            boolean schemeChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '-' || c == '.';
            if (!schemeChar) {
                return -1;
            }
        }
        return -1;
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
     * Q6 fix: strips exactly the matched route's segments, however they were encoded). Segments are counted
     * as the trie counts them in the decoded path: leading separators are skipped, and an encoded slash
     * ({@code %2F}) separates segments like {@code /} does. When the last stripped segment ends at an encoded
     * slash, that slash becomes the leading {@code /} of the result. Returns {@code ""} when nothing is left.
     */
    public String stripSegments(int segmentCount) {
        if (segmentCount <= 0) {
            return rawPath;
        }
        String p = rawPath;
        int len = p.length();
        int pos = 0;
        int sepLen;
        while ((sepLen = separatorAt(p, pos)) > 0) {
            pos += sepLen; // the trie ignores leading separators, encoded or not
        }
        int remaining = segmentCount;
        while (pos < len) {
            // pos is at the start of a decoded segment; find its end.
            int end = pos;
            while (end < len && (sepLen = separatorAt(p, end)) == 0) {
                end++;
            }
            if (end == len) {
                return "";
            }
            if (--remaining == 0) {
                return sepLen == 1 ? p.substring(end) : "/" + p.substring(end + sepLen);
            }
            pos = end + sepLen;
        }
        return "";
    }

    /**
     * Length of the segment separator at {@code i}: 1 for {@code /}, 3 for {@code %2F}, else 0. Every {@code %}
     * in a parsed raw path starts a valid escape, so {@code %2F} found here is always an encoded slash.
     */
    private static int separatorAt(String p, int i) {
        if (i >= p.length()) {
            return 0;
        }
        char c = p.charAt(i);
        if (c == '/') {
            return 1;
        }
        if (c == '%' && i + 2 < p.length() && p.charAt(i + 1) == '2'
                && (p.charAt(i + 2) == 'F' || p.charAt(i + 2) == 'f')) {
            return 3;
        }
        return 0;
    }

    /**
     * The request-target to send upstream for this request routed to {@code route} (chp-behaviour §4.5):
     * the target's path and query in front unless {@code prependPath} is off, the matched route's segments
     * stripped when {@code includePrefix} is off (in host-routing mode the host segment of the key is not
     * part of the request path).
     */
    public String upstreamUri(Route route, boolean includePrefix, boolean prependPath, boolean hostRouting) {
        String requestPart;
        if (includePrefix) {
            requestPart = rawPathAndQuery();
        } else {
            int segments = segmentCount(route.path());
            if (hostRouting && segments > 0) {
                segments--;
            }
            requestPart = stripSegments(segments) + query;
        }
        String base = prependPath ? route.target().pathAndQuery() : "/";
        return join(base, requestPart);
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
        if (targetPathAndQuery.equals("/") && !requestPathAndQuery.isEmpty() && requestPathAndQuery.charAt(0) == '/') {
            // Every JupyterHub route's target has no path: the result is the request part itself, unless
            // it ends in an empty query (which the general case drops).
            int q = requestPathAndQuery.indexOf('?');
            if (q < 0 || q < requestPathAndQuery.length() - 1) {
                return requestPathAndQuery;
            }
        }
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

    /**
     * RFC 3986 §5.2.4 for a path starting with {@code /}, also treating {@code %2e} as a dot (as the WHATWG
     * URL parser does). A trailing dot segment leaves a trailing slash ({@code /a/b/..} → {@code /a/}).
     */
    public static String removeDotSegments(String path) {
        if (path.indexOf("/.") < 0 && path.indexOf("/%") < 0) {
            return path; // fast path: a dot segment always starts right after a '/' with '.' or '%'
        }
        String[] segs = path.split("/", -1);
        // segs[0] is "" (path starts with '/')
        ArrayList<String> out = new ArrayList<>(segs.length);
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
        int len = s.length();
        byte[] bytes = new byte[(len - firstPercent) / 3];
        CharsetDecoder utf8 = null;
        StringBuilder out = new StringBuilder(len);
        out.append(s, 0, firstPercent);
        int i = firstPercent;
        while (i < len) {
            char c = s.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            // A run of escapes is decoded as one UTF-8 byte sequence; it must be complete and well-formed.
            int n = 0;
            while (i < len && s.charAt(i) == '%') {
                if (i + 2 >= len) {
                    throw new MalformedPathException("URI malformed");
                }
                int hi = hexValue(s.charAt(i + 1));
                int lo = hexValue(s.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    throw new MalformedPathException("URI malformed");
                }
                bytes[n++] = (byte) ((hi << 4) | lo);
                i += 3;
            }
            if (n == 1 && bytes[0] >= 0) {
                out.append((char) bytes[0]); // ASCII: the common case ("%20", "%2F", "%40")
                continue;
            }
            if (utf8 == null) {
                utf8 = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
            }
            try {
                out.append(utf8.decode(ByteBuffer.wrap(bytes, 0, n)));
            } catch (CharacterCodingException e) {
                throw new MalformedPathException("URI malformed");
            }
        }
        return out.toString();
    }

    /** ASCII hex digit value, or -1 (Character.digit would also accept non-ASCII digits). */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** A request path that cannot be decoded (CHP: {@code URIError: URI malformed}). */
    public static final class MalformedPathException extends Exception {
        private static final long serialVersionUID = 1L;

        public MalformedPathException(String message) {
            super(message, null, false, false);
        }
    }
}
