package io.hubgate.proxy;

import io.hubgate.config.HubgateConfig;
import io.hubgate.routing.Target;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Header changes between client and upstream (chp-behaviour §4.6, §4.7; Q14, Q15).
 *
 * <p>Requests: hop-by-hop headers are removed (RFC 9110 §7.6.1), except the {@code Connection: upgrade}
 * and {@code Upgrade} pair of a websocket handshake; {@code X-Forwarded-*} are appended in CHP's format;
 * {@code --change-origin} and {@code --custom-header} apply last. Responses: hop-by-hop headers are
 * removed and Hubgate states its own connection persistence; redirects are rewritten on request.
 */
final class HeaderRewriter {

    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PORT = AsciiString.cached("x-forwarded-port");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

    private final boolean xForward;
    private final boolean changeOrigin;
    private final boolean autoRewrite;
    private final String protocolRewrite;
    private final Map<String, String> customHeaders;
    private final String keepAliveValue;
    private volatile HostPort lastHostPort;

    HeaderRewriter(HubgateConfig config) {
        this.xForward = config.xForward();
        this.changeOrigin = config.changeOrigin();
        this.autoRewrite = config.autoRewrite();
        this.protocolRewrite = config.protocolRewrite();
        this.customHeaders = config.customHeaders();
        this.keepAliveValue = "timeout=" + Math.max(1, config.keepAliveTimeout().toSeconds());
    }

    /**
     * Rewrites a client request's headers in place for the upstream.
     *
     * @param clientIp the client's address as CHP shows it (plain IPv4 for IPv4 clients), or null
     * @param tls whether the client connection is TLS
     */
    void toUpstream(HttpMethod method, HttpHeaders h, String clientIp, boolean tls, Target target,
                    boolean websocket) {
        removeHopByHop(h, websocket);
        if (!websocket && (method == HttpMethod.DELETE || method == HttpMethod.OPTIONS)
                && !h.contains(HttpHeaderNames.CONTENT_LENGTH) && !h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            h.set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
        }
        if (xForward) {
            String host = h.get(HttpHeaderNames.HOST);
            if (clientIp != null) {
                append(h, X_FORWARDED_FOR, clientIp);
            }
            append(h, X_FORWARDED_PORT, forwardedPort(host, tls));
            append(h, X_FORWARDED_PROTO, websocket ? (tls ? "wss" : "ws") : (tls ? "https" : "http"));
            if (!websocket && host != null && !h.contains(X_FORWARDED_HOST)) {
                h.set(X_FORWARDED_HOST, host);
            }
        }
        if (changeOrigin) {
            h.set(HttpHeaderNames.HOST, target.hostHeader());
        }
        if (!customHeaders.isEmpty()) { // no entry-set iterator per request when there are none (the usual case)
            for (Map.Entry<String, String> e : customHeaders.entrySet()) {
                h.set(e.getKey(), e.getValue());
            }
        }
    }

    /** Rewrites an upstream response's headers in place for the client. */
    void toClient(HttpResponse response, boolean keepAlive, boolean upgrade, String clientHost, Target target) {
        HttpHeaders h = response.headers();
        removeHopByHop(h, upgrade);
        if (!upgrade) {
            h.set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
            if (keepAlive) {
                h.set(HttpHeaderNames.KEEP_ALIVE, keepAliveValue);
            }
        }
        if (autoRewrite || protocolRewrite != null) {
            rewriteLocation(response, clientHost, target);
        }
    }

    /** Connection persistence headers for a response Hubgate makes itself. */
    void localResponse(HttpHeaders h, boolean keepAlive) {
        h.set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        if (keepAlive) {
            h.set(HttpHeaderNames.KEEP_ALIVE, keepAliveValue);
        }
    }

    /**
     * §4.7: for 201/301/302/307/308 with a Location pointing at the target's own host:port, put the
     * client's Host ({@code --auto-rewrite}) and/or the given scheme ({@code --protocol-rewrite}) in it.
     */
    private void rewriteLocation(HttpResponse response, String clientHost, Target target) {
        int code = response.status().code();
        if (code != 201 && code != 301 && code != 302 && code != 307 && code != 308) {
            return;
        }
        String location = response.headers().get(HttpHeaderNames.LOCATION);
        if (location == null || target.isUnix()) {
            return;
        }
        int sep = location.indexOf("://");
        if (sep <= 0) {
            return; // relative Locations never match the target's host
        }
        int authStart = sep + 3;
        int authEnd = authStart;
        while (authEnd < location.length() && "/?#".indexOf(location.charAt(authEnd)) < 0) {
            authEnd++;
        }
        String authority = location.substring(authStart, authEnd).toLowerCase(Locale.ROOT);
        if (!authority.equals(target.hostHeader()) && !authority.equals(target.host() + ":" + target.port())) {
            return;
        }
        String scheme = protocolRewrite != null ? protocolRewrite : location.substring(0, sep);
        String host = autoRewrite && clientHost != null ? clientHost : location.substring(authStart, authEnd);
        response.headers().set(HttpHeaderNames.LOCATION, scheme + "://" + host + location.substring(authEnd));
    }

    private static boolean token(String value, int from, int to, String name) {
        return to - from == name.length() && value.regionMatches(true, from, name, 0, name.length());
    }

    private static void removeHopByHop(HttpHeaders h, boolean keepUpgrade) {
        boolean upgradeRequested = false;
        String connection = h.get(HttpHeaderNames.CONNECTION);
        if (connection != null) {
            List<String> values = h.getAll(HttpHeaderNames.CONNECTION);
            for (int v = 0; v < values.size(); v++) {
                String value = values.get(v);
                int start = 0;
                while (start <= value.length()) {
                    int comma = value.indexOf(',', start);
                    int end = comma < 0 ? value.length() : comma;
                    int from = start;
                    int to = end;
                    start = end + 1;
                    while (from < to && value.charAt(from) <= ' ') {
                        from++;
                    }
                    while (to > from && value.charAt(to - 1) <= ' ') {
                        to--;
                    }
                    // compared in place: "keep-alive" on every upstream response makes no substring
                    if (from == to || token(value, from, to, "close") || token(value, from, to, "keep-alive")) {
                        continue;
                    }
                    if (token(value, from, to, "upgrade")) {
                        upgradeRequested = true;
                    } else {
                        h.remove(value.substring(from, to));
                    }
                }
            }
            h.remove(HttpHeaderNames.CONNECTION);
        }
        h.remove(HttpHeaderNames.KEEP_ALIVE);
        h.remove(PROXY_CONNECTION);
        h.remove(HttpHeaderNames.TE);
        h.remove(HttpHeaderNames.TRAILER);
        h.remove(HttpHeaderNames.PROXY_AUTHENTICATE);
        h.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
        if (keepUpgrade && upgradeRequested) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        } else {
            h.remove(HttpHeaderNames.UPGRADE);
        }
    }

    private static void append(HttpHeaders h, AsciiString name, String value) {
        String existing = h.get(name);
        if (existing == null) {
            h.add(name, value); // the usual case: nothing to replace, so no second search for the name
        } else {
            h.set(name, existing.isEmpty() ? value : existing + "," + value);
        }
    }

    /**
     * {@link #portOf}, remembering the last answer: behind JupyterHub nearly every request carries the same
     * Host header, and this saves a substring per request. Shared by the event loops without a lock; a reader
     * sees either the old entry or the new one, and a miss only costs the substring.
     */
    String forwardedPort(String host, boolean tls) {
        if (host == null) {
            return tls ? "443" : "80";
        }
        HostPort last = lastHostPort;
        if (last != null && last.tls == tls && last.host.equals(host)) {
            return last.port;
        }
        String port = portOf(host, tls);
        lastHostPort = new HostPort(host, tls, port);
        return port;
    }

    private record HostPort(String host, boolean tls, String port) {
    }

    /** CHP takes X-Forwarded-Port from the Host header's port, else the scheme's default (§4.6). */
    static String portOf(String host, boolean tls) {
        if (host != null) {
            int close = host.lastIndexOf(']');
            int colon = host.lastIndexOf(':');
            if (colon > close && colon < host.length() - 1) {
                return host.substring(colon + 1);
            }
        }
        return tls ? "443" : "80";
    }
}
