package io.hubgate.json;

import java.io.InputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads and writes {@link JsonValue}s with Jackson's streaming core. Hubgate needs JSON for route data and
 * journal lines only: small objects read whole. Jackson's data binding would do the same with about 500 more
 * classes loaded and 6-9 MiB more resident memory (docs/performance.md, "Jackson's streaming core"); the
 * tokenizer and the writer, the part worth having from a library, are the same.
 */
public final class Json {

    /** Thread-safe; parsers and generators made from it are not, and each call makes its own. */
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private Json() {
    }

    /**
     * Parses one JSON text. Returns null when the text holds no value at all (only whitespace).
     *
     * @throws JacksonException if the text is not valid JSON, or has anything but whitespace after its value
     */
    public static JsonValue parse(String text) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), text)) {
            return whole(p);
        }
    }

    /** {@link #parse(String)} for {@code len} UTF-8 bytes at {@code off}. */
    public static JsonValue parse(byte[] buf, int off, int len) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), buf, off, len)) {
            return whole(p);
        }
    }

    /** {@link #parse(String)} for a UTF-8 (or UTF-16/32, detected) stream, read to its end. */
    public static JsonValue parse(InputStream in) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), in)) {
            return whole(p);
        }
    }

    /** Compact JSON text: no whitespace, members in order, numbers as they were spelled. */
    public static String write(JsonValue value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            write(g, value);
        }
        return out.toString();
    }

    /** {@code s} as a JSON string literal, quotes included. */
    public static String quote(String s) {
        return write(JsonValue.string(s));
    }

    private static JsonValue whole(JsonParser p) {
        JsonToken first = p.nextToken();
        if (first == null) {
            return null;
        }
        JsonValue value = read(p, first);
        if (p.nextToken() != null) {
            // JavaScript's wording, which CHP's error replies carry (chp-behaviour §3.2)
            throw new StreamReadException(p, "Unexpected non-whitespace character after JSON");
        }
        return value;
    }

    /** Reads the value that starts at {@code token}; nesting is bounded by the parser's own depth limit. */
    private static JsonValue read(JsonParser p, JsonToken token) {
        switch (token) {
            case START_OBJECT: {
                JsonValue object = JsonValue.object();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                    String name = p.currentName();
                    object.put(name, read(p, p.nextToken()));
                }
                return object;
            }
            case START_ARRAY: {
                List<JsonValue> elements = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    elements.add(read(p, t));
                }
                return JsonValue.array(elements);
            }
            case VALUE_STRING:
                return JsonValue.string(p.getString());
            case VALUE_NUMBER_INT:
                return JsonValue.number(p.getString(), true);
            case VALUE_NUMBER_FLOAT:
                return JsonValue.number(p.getString(), false);
            case VALUE_TRUE:
                return JsonValue.TRUE;
            case VALUE_FALSE:
                return JsonValue.FALSE;
            case VALUE_NULL:
                return JsonValue.NULL;
            default:
                throw new StreamReadException(p, "Unexpected token " + token);
        }
    }

    private static void write(JsonGenerator g, JsonValue value) {
        switch (value.kind()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonValue> member : value.members().entrySet()) {
                    g.writeName(member.getKey());
                    write(g, member.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonValue element : value.elements()) {
                    write(g, element);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(value.text());
            case NUMBER -> g.writeNumber(value.text()); // the spelling the parser accepted
            case TRUE -> g.writeBoolean(true);
            case FALSE -> g.writeBoolean(false);
            case NULL -> g.writeNull();
        }
    }
}
