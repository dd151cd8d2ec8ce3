package io.hubgate.proxy.upstream;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.concurrent.TimeUnit;

/**
 * Reads a server's {@code Keep-Alive: timeout=N} response header (RFC 9112 §9.3 leaves it to the server to
 * announce its idle timeout; node.js sends {@code timeout=5} by default). A pooled connection is not kept
 * longer than one second less than that, so Hubgate never sends a request on a connection the server is about
 * to close; without the header the configured limit applies.
 */
final class KeepAliveHint {

    private static final long MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);

    private KeepAliveHint() {
    }

    /** The idle limit after a response with these headers; {@code current} if they announce nothing shorter. */
    static long idleLimitNanos(HttpHeaders headers, long current) {
        String value = headers.get(HttpHeaderNames.KEEP_ALIVE);
        if (value == null) {
            return current;
        }
        long seconds = timeoutSeconds(value);
        if (seconds < 0) {
            return current;
        }
        return Math.min(current, TimeUnit.SECONDS.toNanos(seconds) - MARGIN_NANOS);
    }

    /** The {@code timeout} parameter in whole seconds, or -1 if there is none or it is not a number. */
    static long timeoutSeconds(String value) {
        int at = 0;
        int len = value.length();
        while (at < len) {
            int comma = value.indexOf(',', at);
            int end = comma < 0 ? len : comma;
            int eq = value.indexOf('=', at);
            if (eq > at && eq < end && value.substring(at, eq).trim().equalsIgnoreCase("timeout")) {
                String number = value.substring(eq + 1, end).trim();
                if (number.length() >= 2 && number.charAt(0) == '"' && number.charAt(number.length() - 1) == '"') {
                    number = number.substring(1, number.length() - 1);
                }
                if (number.isEmpty() || number.length() > 9) {
                    return -1;
                }
                long n = 0;
                for (int i = 0; i < number.length(); i++) {
                    char c = number.charAt(i);
                    if (c < '0' || c > '9') {
                        return -1;
                    }
                    n = n * 10 + (c - '0');
                }
                return n;
            }
            at = end + 1;
        }
        return -1;
    }
}
