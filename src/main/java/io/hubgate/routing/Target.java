package io.hubgate.routing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A route target, parsed once when the route is written so that the data plane never parses URLs.
 *
 * <p>Accepted forms (chp-behaviour §4.5, Q13): {@code http://host[:port][/path][?query]},
 * {@code https://…}, and {@code http+unix://<percent-encoded socket path>[/path]} (also
 * {@code unix+http://}). Anything else is rejected with {@link IllegalArgumentException}.
 */
public final class Target {

    public enum Scheme { HTTP, HTTPS, UNIX }

    private final String raw;
    private final Scheme scheme;
    private final String host;
    private final int port;
    private final String socketPath;
    private final String pathAndQuery;
    private final String hostHeader;

    private Target(String raw, Scheme scheme, String host, int port, String socketPath, String pathAndQuery,
                   String hostHeader) {
        this.raw = raw;
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.socketPath = socketPath;
        this.pathAndQuery = pathAndQuery;
        this.hostHeader = hostHeader;
    }

    public static Target parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new IllegalArgumentException("target must be a non-empty URL");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("target contains whitespace or control characters");
            }
        }
        int sep = raw.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException("target '" + raw + "' is not an absolute URL");
        }
        String schemeText = raw.substring(0, sep).toLowerCase(Locale.ROOT);
        Scheme scheme = switch (schemeText) {
            case "http" -> Scheme.HTTP;
            case "https" -> Scheme.HTTPS;
            case "http+unix", "unix+http" -> Scheme.UNIX;
            default -> throw new IllegalArgumentException(
                    "target '" + raw + "' has unsupported protocol " + schemeText
                            + ": (use http://, https:// or http+unix://)");
        };
        int authorityStart = sep + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < raw.length()) {
            char c = raw.charAt(authorityEnd);
            if (c == '/' || c == '?' || c == '#') {
                break;
            }
            authorityEnd++;
        }
        String authority = raw.substring(authorityStart, authorityEnd);
        String rest = raw.substring(authorityEnd);
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        String pathAndQuery = rest.isEmpty() || rest.charAt(0) == '?' ? "/" + rest : rest;

        if (scheme == Scheme.UNIX) {
            if (authority.isEmpty()) {
                throw new IllegalArgumentException("target '" + raw + "' names no socket path");
            }
            String socketPath = URLDecoder.decode(authority.replace("+", "%2B"), StandardCharsets.UTF_8);
            return new Target(raw, scheme, null, 0, socketPath, pathAndQuery, "localhost");
        }

        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1); // userinfo is not forwarded (as Node's URL parser)
        }
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("target '" + raw + "' has an unterminated IPv6 address");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (after.charAt(0) != ':') {
                    throw new IllegalArgumentException("target '" + raw + "' has a malformed host");
                }
                portText = after.substring(1);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon >= 0) {
                host = authority.substring(0, colon);
                portText = authority.substring(colon + 1);
            } else {
                host = authority;
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("target '" + raw + "' has no host");
        }
        int defaultPort = scheme == Scheme.HTTPS ? 443 : 80;
        int port = defaultPort;
        if (portText != null && !portText.isEmpty()) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("target '" + raw + "' has an invalid port");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("target '" + raw + "' has an invalid port");
            }
        }
        String lowerHost = host.toLowerCase(Locale.ROOT);
        String hostForHeader = lowerHost.indexOf(':') >= 0 ? "[" + lowerHost + "]" : lowerHost;
        String hostHeader = port == defaultPort ? hostForHeader : hostForHeader + ":" + port;
        return new Target(raw, scheme, lowerHost, port, null, pathAndQuery, hostHeader);
    }

    /** The target exactly as it was written (what the API returns). */
    public String raw() {
        return raw;
    }

    public Scheme scheme() {
        return scheme;
    }

    public boolean isTls() {
        return scheme == Scheme.HTTPS;
    }

    public boolean isUnix() {
        return scheme == Scheme.UNIX;
    }

    /** Host name or IP literal (without brackets) for TCP targets; null for UNIX sockets. */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** File system path of the socket for {@code http+unix} targets. */
    public String socketPath() {
        return socketPath;
    }

    /** The target's path and query ({@code /} when the URL had none): what prepend-path puts in front. */
    public String pathAndQuery() {
        return pathAndQuery;
    }

    /** The value for the upstream Host header under {@code --change-origin} (default port omitted). */
    public String hostHeader() {
        return hostHeader;
    }

    /** Identifies a connection pool: requests to equal keys may share upstream connections. */
    public String poolKey() {
        return switch (scheme) {
            case UNIX -> "unix:" + socketPath;
            case HTTPS -> "https:" + host + ":" + port;
            case HTTP -> "http:" + host + ":" + port;
        };
    }

    @Override
    public String toString() {
        return raw;
    }
}
