package io.hubgate.api;

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

    /** RFC 3986 §5.2.4 on an absolute path, with WHATWG's {@code %2e} spelling of a dot. */
    static String removeDotSegments(String path) {
        if (path.indexOf('.') < 0 && path.indexOf('%') < 0) {
            return path;
        }
        String[] segments = path.split("/", -1);
        List<String> out = new ArrayList<>(segments.length);
        boolean trailingSlash = false;
        for (int i = 1; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
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
}
