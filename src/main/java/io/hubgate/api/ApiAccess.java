package io.hubgate.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the REST API decides from a request's head alone (chp-behaviour §3.1, §3.2): whether the path is
 * an API resource (else 404), whether the method is supported (else 405), and whether the caller holds
 * the token (else 403) — in that order, and before any body is read.
 */
final class ApiAccess {

    private static final Pattern ROUTES = Pattern.compile("^/api/routes(/.*)?$");
    /** Q11: CHP's accepted form — {@code token <t>} anywhere in the header, case-sensitive. */
    private static final Pattern TOKEN = Pattern.compile("token\\s+(\\S+)");

    private final byte[] token; // null: no authentication (CHP warns at startup)

    ApiAccess(String authToken) {
        this.token = authToken == null || authToken.isEmpty() ? null : authToken.getBytes(StandardCharsets.UTF_8);
    }

    /** Matches the request-target against {@code /api/routes[/path]}; group 1 is the still-encoded path. */
    static Matcher match(String uri) {
        return ROUTES.matcher(ApiPath.of(uri));
    }

    static boolean methodSupported(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.POST || method == HttpMethod.DELETE;
    }

    /** Compares in constant time; the presented value is never logged. */
    boolean authorized(String header) {
        if (token == null) {
            return true;
        }
        if (header == null) {
            return false;
        }
        Matcher m = TOKEN.matcher(header);
        if (!m.find()) {
            return false;
        }
        return MessageDigest.isEqual(token, m.group(1).getBytes(StandardCharsets.UTF_8));
    }

    /** True if the request will be refused (404, 405 or 403) whatever its body holds. */
    boolean refusesHead(HttpRequest req) {
        return !match(req.uri()).matches() || !methodSupported(req.method())
                || !authorized(req.headers().get(HttpHeaderNames.AUTHORIZATION));
    }
}
