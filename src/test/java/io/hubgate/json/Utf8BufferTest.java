package io.hubgate.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8BufferTest {

    @Test
    void asciiTextIsItsOwnBytes() {
        Utf8Buffer out = new Utf8Buffer(0).appendAscii("{\"a\":").appendAscii("xx1yy", 2, 3).append('}');
        assertThat(out.toString()).isEqualTo("{\"a\":1}");
        assertThat(Arrays.copyOf(out.array(), out.length())).isEqualTo("{\"a\":1}".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void anyTextIsWrittenAsUtf8() {
        String text = "ünï 秀樹 😀";
        Utf8Buffer out = new Utf8Buffer(1).append(text);
        assertThat(Arrays.copyOf(out.array(), out.length())).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        assertThat(out.toString()).isEqualTo(text);
        // an unpaired surrogate cannot be UTF-8: the JDK's replacement, as String.getBytes gives
        assertThat(new Utf8Buffer(1).append("a\uD800b").toString()).isEqualTo("a?b");
    }

    @Test
    void isAsciiStopsBelow0x80() {
        assertThat(Utf8Buffer.isAscii("")).isTrue();
        assertThat(Utf8Buffer.isAscii("\u0000 ~\u007f")).isTrue();
        assertThat(Utf8Buffer.isAscii("caf\u00e9")).isFalse();
        assertThat(Utf8Buffer.isAscii("\u20ac")).isFalse();
    }

    @Test
    void digitsAreZeroPadded() {
        Utf8Buffer out = new Utf8Buffer(2);
        out.appendDigits(7, 4).append(' ').appendDigits(2026, 4).append(' ').appendDigits(5, 2).append(' ')
                .appendDigits(99, 3).append(' ').appendDigits(0, 1);
        assertThat(out.toString()).isEqualTo("0007 2026 05 099 0");
    }

    @Test
    void growsPastItsInitialCapacityAndClears() {
        Utf8Buffer out = new Utf8Buffer(16);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            out.appendAscii("route").appendDigits(i % 10_000, 4).append("ü");
            expected.append("route").append(String.format("%04d", i)).append("ü");
        }
        assertThat(out.toString()).isEqualTo(expected.toString());
        out.clear();
        assertThat(out.length()).isZero();
        assertThat(out.append('x').toString()).isEqualTo("x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/user/alice", "/user/秀樹/😀", "quote\"back\\slash", "\n\r\t\b\f",
            "\u0000\u0001\u001f\u007f", "a\"", "\"", "\\", "tail\u0003", "ü\"ü"})
    void quotedStringsAreJsonThatReadsBackAsTheString(String s) {
        Utf8Buffer out = new Utf8Buffer(4).appendQuoted(s);
        // read back from the bytes by Jackson's parser, which refuses raw control characters in strings
        assertThat(Json.parse(out.array(), 0, out.length()).asString()).isEqualTo(s);
    }

    @Test
    void quotingUsesTheShortEscapesAndLowerCaseHex() {
        assertThat(new Utf8Buffer(4).appendQuoted("a\"b\\c\nd\re\tf\bg\fh\u0001i\u001fj").toString())
                .isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u001fj\"");
    }
}
