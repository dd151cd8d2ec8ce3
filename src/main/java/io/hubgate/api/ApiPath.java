package io.hubgate.api;

import io.hubgate.routing.RequestPath;

import java.util.ArrayList;
import java.util.List;

/**
 * The path of an API request-target as CHP sees it (chp-behaviour §3.1): the WHATWG URL parser's
 * {@code pathname} against a dummy base — query and fragment dropped, {@code \} read as {@code /},
 * dot segments (also {@code %2e}) resolved, a leading {@code //} read as an authority — and still
 * percent-encoded. Decoding happens later, only for the captured route path and only after
 * authentication, so a malformed escape can neither hide a 404 nor skip the 403 (Q5, Q12).
 */
final class ApiPath {

    private ApiPath() {
    }

    static String of(String uri) {
        String target = uri;
        int hash = target.indexOf('#');
        if (hash >= 0) {
            target = target.substring(0, hash);
        }
        int q = target.indexOf('?');
        if (q >= 0) {
            target = target.substring(0, q);
        }
        target = target.replace('\\', '/');
        int scheme = target.indexOf("://");
        if (scheme > 0 && target.charAt(0) != '/') {
            target = target.substring(scheme + 1); // absolute-form: continue at "//authority/path"
        }
        if (target.startsWith("//")) {
            int slash = target.indexOf('/', 2);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        if (target.isEmpty() || target.charAt(0) != '/') {
            target = "/" + target;
        }
        return removeDotSegments(target);
    }

    static String removeDotSegments(String path) {
        return RequestPath.removeDotSegments(path);
    }
}
