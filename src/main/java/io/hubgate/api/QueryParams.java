package io.hubgate.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a query parameter the way CHP does ({@code URL.searchParams.get}, WHATWG
 * application/x-www-form-urlencoded parsing): {@code +} is a space, malformed {@code %} escapes stay as
 * they are, invalid UTF-8 becomes U+FFFD. Never throws: a bad query is answered, not dropped (Q5).
 */
final class QueryParams {

    private QueryParams() {
    }

    /** The first value of {@code name} in the request-target's query, or null if it has none. */
    static String first(String uri, String name) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return null;
        }
        int end = uri.indexOf('#', q);
        String query = uri.substring(q + 1, end < 0 ? uri.length() : end);
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals(name)) {
                return eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        byte[] in = s.getBytes(StandardCharsets.ISO_8859_1); // the request line as received, byte for byte
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '+') {
                out.write(' ');
            } else if (b == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out.write(hex(in[i + 1]) << 4 | hex(in[i + 2]));
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8); // replaces malformed input with U+FFFD
    }

    private static int hex(byte b) {
        return Character.digit((char) b, 16);
    }
}
