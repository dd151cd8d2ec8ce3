package io.hubgate.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Parses the {@code inactive_since} parameter the way JavaScript's {@code Date.parse} accepts it
 * (chp-behaviour §3.3): ISO-8601 date-times with {@code Z} or an offset, date-only forms (UTC midnight),
 * date-times without a zone (local time), a space instead of {@code T}, {@code +hhmm} offsets, and
 * RFC 1123 strings. Bare numbers other than a 4-digit year are rejected. V8's lenient legacy forms
 * ({@code "12"}, day-of-month overflow such as {@code 2026-02-30}) are not reproduced: they are rejected.
 */
final class InactiveSince {

    private static final Pattern YEAR = Pattern.compile("^[+-]?\\d{4,6}$");

    private InactiveSince() {
    }

    /** ISO date-time with a {@code +hhmm} offset (no colon), which {@code Date.parse} also accepts. */
    private static final DateTimeFormatter COMPACT_OFFSET = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).appendOffset("+HHMM", "Z").toFormatter();

    /** Epoch milliseconds, or null if the value is not a timestamp. */
    static Long parse(String value) {
        String v = value;
        if (v.length() > 10 && (v.charAt(10) == ' ' || v.charAt(10) == 't')) {
            v = v.substring(0, 10) + 'T' + v.substring(11); // "2026-11-22 08:42:39": Python's str(datetime)
        }
        if (v.endsWith("z")) {
            v = v.substring(0, v.length() - 1) + 'Z';
        }
        try {
            return OffsetDateTime.parse(v).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return OffsetDateTime.parse(v, COMPACT_OFFSET).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return LocalDateTime.parse(v).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return YearMonth.parse(v).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        if (YEAR.matcher(v).matches() && v.length() == 4) {
            return LocalDate.of(Integer.parseInt(v), 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
        return null;
    }
}
