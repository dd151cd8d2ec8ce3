package io.hubgate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.json.Utf8Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Timestamps}: the same text as JavaScript's {@code new Date(ms).toISOString()} (values from Node). */
class TimestampsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0               | 1970-01-01T00:00:00.000Z
            -1              | 1969-12-31T23:59:59.999Z
            1795336959776   | 2026-11-22T08:42:39.776Z
            1700000000123   | 2023-11-14T22:13:20.123Z
            951782400000    | 2000-02-29T00:00:00.000Z
            253402300799999 | 9999-12-31T23:59:59.999Z
            """)
    void formatsLikeToIsoString(long millis, String expected) {
        assertThat(Timestamps.iso(millis)).isEqualTo(expected);
        Utf8Buffer out = new Utf8Buffer(4).appendAscii("at ");
        Timestamps.appendIso(out, millis);
        assertThat(out.toString()).isEqualTo("at " + expected);
    }

    @Test
    void alwaysThreeFractionDigits() {
        assertThat(Timestamps.iso(1_000)).isEqualTo("1970-01-01T00:00:01.000Z");
        assertThat(Timestamps.iso(1_010)).isEqualTo("1970-01-01T00:00:01.010Z");
    }

    @org.junit.jupiter.api.Test
    void handWrittenDigitsMatchTheFormatterOverManyInstants() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter
                .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
        long max = java.time.Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
        for (int i = 0; i < 200_000; i++) {
            long t = random.nextLong(-62_167_219_200_000L, max + 1); // years 0000 to 9999
            Utf8Buffer out = new Utf8Buffer(4);
            Timestamps.appendIso(out, t);
            org.assertj.core.api.Assertions.assertThat(out.toString()).isEqualTo(f.format(java.time.Instant.ofEpochMilli(t)));
        }
    }
}
