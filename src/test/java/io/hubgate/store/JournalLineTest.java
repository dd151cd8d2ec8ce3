package io.hubgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.hubgate.json.JsonValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The checksummed line format: every line is JSON, every damaged byte is caught, any string reads back exactly. */
class JournalLineTest {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    static JsonValue open(byte[] line) throws JournalLine.BadLineException {
        assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
        return JournalLine.open(line, 0, line.length - 1);
    }

    @Test
    void aSealedLineIsJsonWithItsChecksumLast() throws Exception {
        byte[] line = JournalLine.seal("{\"v\":1,\"op\":\"delete\",\"path\":\"/a\"");
        String text = new String(line, StandardCharsets.UTF_8);
        assertThat(text).matches("\\{\"v\":1,\"op\":\"delete\",\"path\":\"/a\",\"crc\":\"[0-9a-f]{8}\"}\n");
        JsonNode node = MAPPER.readTree(text);
        assertThat(node.get("path").asString()).isEqualTo("/a");
        assertThat(open(line).get("v").asLong()).isEqualTo(1);
    }

    @Test
    void everySingleByteChangeIsDetected() {
        byte[] line = JournalFormat.put(RouteChange.put(42, "/user/zoë", "{\"target\":\"http://127.0.0.1:1\"}", 7));
        for (int i = 0; i < line.length - 1; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] damaged = Arrays.copyOf(line, line.length);
                damaged[i] ^= (byte) (1 << bit);
                if (damaged[i] == '\n') {
                    continue; // would split the line: the reader sees two lines, each checked on its own
                }
                int at = i;
                assertThatThrownBy(() -> open(damaged)).as("flipped bit %d of byte %d", bit, at)
                        .isInstanceOf(JournalLine.BadLineException.class);
            }
        }
    }

    @Test
    void truncatedLinesAreRejected() {
        byte[] line = JournalFormat.delete(RouteChange.delete(3, "/x"));
        for (int len = 0; len < line.length - 1; len++) {
            int n = len;
            assertThatThrownBy(() -> JournalLine.open(line, 0, n)).isInstanceOf(JournalLine.BadLineException.class);
        }
    }

    @Test
    void aCorrectChecksumOverSomethingElseIsNotJson() {
        byte[] line = JournalLine.seal("{\"v\":1,");
        assertThatThrownBy(() -> open(line)).isInstanceOf(JournalLine.BadLineException.class)
                .hasMessageContaining("not valid JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "quote \" backslash \\ slash /", "tab\tnewline\nreturn\r",
            "nul \u0000 bell \u0007 esc \u001b del \u007f", "línea ñ 日本語 𝄞 🎉", "separators \u2028 \u2029",
            "lone high \ud800 end", "lone low \udc00 end", "reversed pair \udc00\ud800", "high at end \ud83c"})
    void anyJavaStringReadsBackExactly(String s) throws Exception {
        StringBuilder b = new StringBuilder("{\"s\":");
        JournalLine.appendString(b, s);
        JsonValue node = open(JournalLine.seal(b));
        assertThat(node.get("s").asString()).isEqualTo(s);
    }
}
