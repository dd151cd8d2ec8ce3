package io.hubgate.routing;

/**
 * CHP's route-key normalisation ({@code cleanPath}, chp-behaviour §3.4): prepend {@code /} if missing and
 * drop one trailing {@code /} unless the path is exactly {@code /}. Nothing else — no case folding, no
 * collapsing of {@code //} — because JupyterHub compares the keys it gets back with the ones it sent.
 */
public final class RoutePaths {

    private RoutePaths() {
    }

    public static String clean(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        String p = path.charAt(0) == '/' ? path : "/" + path;
        if (p.length() > 1 && p.charAt(p.length() - 1) == '/') {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /**
     * True if the path contains a character that must never reach a route key or a request line:
     * ASCII control characters (including CR, LF, NUL) and DEL (Q13).
     */
    public static boolean hasControlCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
