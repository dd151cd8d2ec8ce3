package io.hubgate.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Parsing and writing route data: order, spelling, duplicates, and what is refused. */
class JsonTest {

    /** An independent reader, to check that what we write is the JSON we read. */
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    @ParameterizedTest
    @ValueSource(strings = {
        "{}", "[]", "\"\"", "0", "-0", "1.0", "1e2", "1E+400", "-2.50e-7", "123456789012345678901234567890",
        "true", "false", "null",
        "{\"z\":1,\"a\":2,\"m\":{\"y\":[1,{\"b\":null,\"a\":false}],\"x\":\"\"}}",
        "{\"u\":\"秀樹 😀\",\"esc\":\"q\\\"b\\\\s\\n\\t\\u0001\",\"key \\\"quoted\\\"\":[[],{}]}"})
    void compactTextWritesBackExactly(String text) {
        assertThat(Json.write(Json.parse(text))).isEqualTo(text);
    }

    @Test
    void whitespaceIsDroppedAndValuesKept() {
        String spaced = " {\n \"target\" : \"http://h:1\" ,\t\"l\" : [ 1 , 2.0 ] ,\"o\":{ } }\r\n";
        String written = Json.write(Json.parse(spaced));
        assertThat(written).isEqualTo("{\"target\":\"http://h:1\",\"l\":[1,2.0],\"o\":{}}");
        assertThat(MAPPER.readTree(written)).isEqualTo(MAPPER.readTree(spaced));
    }

    @Test
    void aRepeatedNameKeepsItsFirstPlaceAndItsLastValue() {
        // as JavaScript's JSON.parse, which CHP uses
        assertThat(Json.write(Json.parse("{\"a\":1,\"b\":2,\"a\":3}"))).isEqualTo("{\"a\":3,\"b\":2}");
    }

    @Test
    void putReplacesInPlaceOrAppends() {
        JsonValue o = Json.parse("{\"host\":\"x\",\"target\":\"t\"}");
        o.put("host", JsonValue.string("y")).put("new", JsonValue.string("n"));
        assertThat(Json.write(o)).isEqualTo("{\"host\":\"y\",\"target\":\"t\",\"new\":\"n\"}");
        assertThatThrownBy(() -> Json.parse("[]").put("a", JsonValue.string("b")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void bytesAndStreamsReadAsText() {
        String text = "{\"p\":\"/user/zoë\",\"v\":7}";
        byte[] utf8 = ("xx" + text + "yy").getBytes(StandardCharsets.UTF_8);
        JsonValue fromBytes = Json.parse(utf8, 2, utf8.length - 4);
        JsonValue fromStream = Json.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(Json.write(fromBytes)).isEqualTo(text);
        assertThat(Json.write(fromStream)).isEqualTo(text);
        assertThat(fromBytes.get("p").asString()).isEqualTo("/user/zoë");
    }

    @Test
    void whitespaceAloneHoldsNoValue() {
        assertThat(Json.parse("")).isNull();
        assertThat(Json.parse(" \n\t")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{nope", "{\"target\":", "target=http://x", "{\"a\":1} trailing", "{\"a\":1} {\"b\":2}",
        "[1,]", "{\"a\":1,}", "01", "NaN", "'single'", "{\"a\" 1}", "\"unterminated"})
    void invalidJsonIsRefusedWithTheParsersMessage(String text) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(JacksonException.class)
                .satisfies(e -> assertThat(((JacksonException) e).getOriginalMessage()).isNotBlank());
    }

    @Test
    void aSecondValueIsRefusedInJavaScriptsWords() {
        assertThatThrownBy(() -> Json.parse("{\"a\":1} {\"b\":2}")).isInstanceOf(JacksonException.class)
                .satisfies(e -> assertThat(((JacksonException) e).getOriginalMessage())
                        .isEqualTo("Unexpected non-whitespace character after JSON"));
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> Json.parse(deep)).isInstanceOf(JacksonException.class);
    }

    @Test
    void numbersReadAsLongOnlyWhenWholeAndInRange() {
        JsonValue o = Json.parse("{\"a\":42,\"b\":-9223372036854775808,\"c\":9223372036854775808,\"d\":1.0,"
                + "\"e\":\"42\",\"f\":1e2}");
        assertThat(o.get("a").fitsLong()).isTrue();
        assertThat(o.get("a").asLong()).isEqualTo(42);
        assertThat(o.get("b").asLong()).isEqualTo(Long.MIN_VALUE);
        assertThat(o.get("c").isIntegral()).isTrue();
        assertThat(o.get("c").fitsLong()).isFalse();
        assertThat(o.get("d").fitsLong()).isFalse();
        assertThat(o.get("e").fitsLong()).isFalse();
        assertThat(o.get("f").fitsLong()).isFalse();
        assertThatThrownBy(() -> o.get("c").asLong()).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "null", "0", "-0", "0.0", "0e5", "1e-400", "\"\""})
    void javaScriptsFalsyValuesAreFalsy(String text) {
        assertThat(Json.parse(text).isFalsy()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "1", "-0.1", "\"0\"", "\" \"", "{}", "[]", "[0]"})
    void everythingElseIsTruthy(String text) {
        assertThat(Json.parse(text).isFalsy()).isFalse();
    }

    @Test
    void readingTheWrongTypeSaysSo() {
        JsonValue o = Json.parse("{\"n\":1,\"s\":\"x\"}");
        assertThat(o.get("missing")).isNull();
        assertThat(o.get("n").get("x")).isNull();
        assertThat(o.get("n").members()).isEmpty();
        assertThatThrownBy(() -> o.get("n").asString()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a string: 1");
        assertThat(Json.quote("a\"b")).isEqualTo("\"a\\\"b\"");
    }
}
