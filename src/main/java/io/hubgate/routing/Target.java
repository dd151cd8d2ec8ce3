package io.hubgate.routing;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A route target, parsed once when the route is written so that the data plane never parses URLs.
 *
 * <p>Accepted forms (chp-behaviour §4.5, Q13): {@code http://host[:port][/path][?query]},
 * {@code https://…}, and {@code http+unix://<percent-encoded socket path>[/path]} (also
 * {@code unix+http://}). Anything else is rejected with {@link IllegalArgumentException} whose message says
 * what is wrong (Q13). Host names are lower-cased (and IDNA-encoded), the path's dot-segments resolved and
 * non-ASCII characters percent-encoded, as Node's URL parser does for CHP.
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
    private String poolKey; // computed on first use, per request afterwards

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
        if (sep <= 0 || !isScheme(raw, sep)) {
            throw new IllegalArgumentException("target '" + raw
                    + "' is not an absolute URL (expected http://host[:port][/path], https://… or http+unix://…)");
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
        // Node's URL parser, which CHP uses, reads '\' as '/' in http(s) URLs (not in http+unix ones).
        boolean special = scheme != Scheme.UNIX;
        int authorityStart = sep + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < raw.length()) {
            char c = raw.charAt(authorityEnd);
            if (c == '/' || c == '?' || c == '#' || (special && c == '\\')) {
                break;
            }
            authorityEnd++;
        }
        String authority = raw.substring(authorityStart, authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1); // userinfo is not forwarded (as with Node's URL parser)
        }
        String pathAndQuery = pathAndQuery(raw.substring(authorityEnd), special);

        if (scheme == Scheme.UNIX) {
            String socketPath;
            try {
                socketPath = RequestPath.decode(authority);
            } catch (RequestPath.MalformedPathException e) {
                throw new IllegalArgumentException("target '" + raw + "' has a socket path that is not valid "
                        + "percent-encoding (write it as http+unix://%2Fpath%2Fto%2Fsocket)");
            }
            if (socketPath.isEmpty()) {
                throw new IllegalArgumentException("target '" + raw + "' names no socket path");
            }
            return new Target(raw, scheme, null, 0, socketPath, pathAndQuery, "localhost");
        }

        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("target '" + raw + "' has an unterminated IPv6 address");
            }
            host = authority.substring(1, close);
            if (!isIpv6Literal(host)) {
                throw new IllegalArgumentException("target '" + raw + "' has an invalid IPv6 address");
            }
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (after.charAt(0) != ':') {
                    throw new IllegalArgumentException("target '" + raw + "' has a malformed host");
                }
                portText = after.substring(1);
            }
        } else {
            int colon = authority.indexOf(':');
            if (colon >= 0) {
                host = authority.substring(0, colon);
                portText = authority.substring(colon + 1);
            } else {
                host = authority;
            }
            host = domainName(raw, host);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("target '" + raw + "' has no host");
        }
        int defaultPort = scheme == Scheme.HTTPS ? 443 : 80;
        int port = portText == null || portText.isEmpty() ? defaultPort : port(raw, portText);
        String lowerHost = host.toLowerCase(Locale.ROOT);
        String hostForHeader = lowerHost.indexOf(':') >= 0 ? "[" + lowerHost + "]" : lowerHost;
        String hostHeader = port == defaultPort ? hostForHeader : hostForHeader + ":" + port;
        return new Target(raw, scheme, lowerHost, port, null, pathAndQuery, hostHeader);
    }

    private static boolean isScheme(String raw, int end) {
        char first = raw.charAt(0);
        if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
            return false;
        }
        for (int i = 1; i < end; i++) {
            char c = raw.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '-' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Path and query as they go on the request line: fragment dropped, dot-segments resolved and characters
     * that cannot appear in a request-target percent-encoded, as Node's URL parser does.
     */
    private static String pathAndQuery(String rest, boolean special) {
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        int q = rest.indexOf('?');
        String path = q >= 0 ? rest.substring(0, q) : rest;
        String query = q >= 0 ? rest.substring(q) : "";
        if (special) {
            path = path.replace('\\', '/');
        }
        path = path.isEmpty() ? "/" : RequestPath.removeDotSegments(path);
        return percentEncode(path, "\"<>`{}") + percentEncode(query, "\"<>'");
    }

    /** Percent-encodes non-ASCII characters (as UTF-8) and the given ASCII characters. */
    private static String percentEncode(String s, String asciiToEncode) {
        int i = 0;
        while (i < s.length() && s.charAt(i) < 0x80 && asciiToEncode.indexOf(s.charAt(i)) < 0) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        out.append(s, 0, i);
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80 && asciiToEncode.indexOf(cp) < 0) {
                out.append((char) cp);
                continue;
            }
            if (cp < 0x10000 && Character.isSurrogate((char) cp)) {
                cp = 0xFFFD; // a lone surrogate, as the WHATWG encoder does
            }
            for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return out.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * A registered host name, percent-decoded and IDNA-encoded as Node's URL parser does, restricted to the
     * characters RFC 3986 allows in a reg-name (anything else could never be resolved or sent in a Host header).
     */
    private static String domainName(String raw, String host) {
        String name;
        try {
            name = RequestPath.decode(host);
        } catch (RequestPath.MalformedPathException e) {
            throw new IllegalArgumentException("target '" + raw + "' has a malformed host");
        }
        boolean ascii = true;
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (!ascii) {
            try {
                name = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("target '" + raw + "' has an invalid international host name");
            }
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=".indexOf(c) >= 0;
            if (!ok) {
                throw new IllegalArgumentException("target '" + raw + "' has a character that is not allowed in a host"
                        + " name: '" + c + "'");
            }
        }
        return name;
    }

    /** An IPv6 literal (without brackets and without a zone id), checked without any name lookup. */
    private static boolean isIpv6Literal(String s) {
        if (s.indexOf(':') < 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                    || c == ':' || c == '.';
            if (!ok) {
                return false;
            }
        }
        try {
            // A bracketed literal is parsed, never resolved: an invalid one throws instead of a DNS query.
            InetAddress.getByName("[" + s + "]");
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A decimal port of ASCII digits in 1..65535 (Integer.parseInt would accept "+80" and non-ASCII digits). */
    private static int port(String raw, String text) {
        int port = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("target '" + raw + "' has an invalid port '" + text + "'");
            }
            port = port * 10 + (c - '0');
            if (port > 65535) {
                break;
            }
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("target '" + raw + "' has an invalid port '" + text
                    + "' (must be 1-65535)");
        }
        return port;
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
        String key = poolKey;
        if (key == null) { // racy but idempotent: every thread computes the same value
            key = switch (scheme) {
                case UNIX -> "unix:" + socketPath;
                case HTTPS -> "https:" + host + ":" + port;
                case HTTP -> "http:" + host + ":" + port;
            };
            poolKey = key;
        }
        return key;
    }

    @Override
    public String toString() {
        return raw;
    }
}
