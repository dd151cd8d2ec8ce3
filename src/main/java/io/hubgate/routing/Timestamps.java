package io.hubgate.routing;

import io.hubgate.json.Utf8Buffer;
import java.time.Instant;
import java.time.LocalDate;
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

    /**
     * Appends the timestamp without allocating (listing 10,000 routes formats 10,000 of them); years outside
     * 0–9999 fall back to the formatter.
     */
    public static void appendIso(Utf8Buffer out, long epochMillis) {
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        int ms = (int) Math.floorMod(epochMillis, 86_400_000L);
        LocalDate date = LocalDate.ofEpochDay(days);
        int year = date.getYear();
        if (year < 0 || year > 9999) {
            out.appendAscii(iso(epochMillis));
            return;
        }
        out.appendDigits(year, 4).append('-');
        out.appendDigits(date.getMonthValue(), 2).append('-');
        out.appendDigits(date.getDayOfMonth(), 2).append('T');
        out.appendDigits(ms / 3_600_000, 2).append(':');
        out.appendDigits(ms / 60_000 % 60, 2).append(':');
        out.appendDigits(ms / 1000 % 60, 2).append('.');
        out.appendDigits(ms % 1000, 3).append('Z');
    }
}
