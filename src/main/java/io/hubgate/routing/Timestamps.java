package io.hubgate.routing;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * ISO-8601 UTC timestamps with exactly three fraction digits ({@code 2026-11-22T08:42:39.776Z}), the form
 * JavaScript's {@code Date.toISOString()} produces and JupyterHub parses.
 */
public final class Timestamps {

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static String iso(long epochMillis) {
        return ISO_MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }

    public static void appendIso(StringBuilder out, long epochMillis) {
        ISO_MILLIS.formatTo(Instant.ofEpochMilli(epochMillis), out);
    }
}
