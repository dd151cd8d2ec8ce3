package io.hubgate.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One parsed JSON value, as small as route data needs: objects keep their members in document order (a
 * repeated name keeps its first place and its last value, as JavaScript's {@code JSON.parse} does), and
 * numbers keep their spelling ({@code 1.0} stays {@code 1.0}, {@code 1e400} stays {@code 1e400}), so data is
 * written back as it was posted. Made by {@link Json#parse}; written by {@link Json#write}.
 */
public final class JsonValue {

    /** The JSON type of a value. */
    public enum Kind { OBJECT, ARRAY, STRING, NUMBER, TRUE, FALSE, NULL }

    static final JsonValue TRUE = new JsonValue(Kind.TRUE, "true", false, null, null);
    static final JsonValue FALSE = new JsonValue(Kind.FALSE, "false", false, null, null);
    static final JsonValue NULL = new JsonValue(Kind.NULL, "null", false, null, null);

    private final Kind kind;
    /** A string's value, a number's spelling, or the literal; null for objects and arrays. */
    private final String text;
    private final boolean integral;
    private final Map<String, JsonValue> members;
    private final List<JsonValue> elements;

    private JsonValue(Kind kind, String text, boolean integral, Map<String, JsonValue> members,
            List<JsonValue> elements) {
        this.kind = kind;
        this.text = text;
        this.integral = integral;
        this.members = members;
        this.elements = elements;
    }

    public static JsonValue string(String value) {
        return new JsonValue(Kind.STRING, Objects.requireNonNull(value), false, null, null);
    }

    /** A number as spelled in JSON text; {@code integral} when it has no fraction and no exponent. */
    static JsonValue number(String spelling, boolean integral) {
        return new JsonValue(Kind.NUMBER, spelling, integral, null, null);
    }

    /** A new, empty object (members can be added with {@link #put}). */
    public static JsonValue object() {
        return new JsonValue(Kind.OBJECT, null, false, new LinkedHashMap<>(), null);
    }

    static JsonValue array(List<JsonValue> elements) {
        return new JsonValue(Kind.ARRAY, null, false, null, Collections.unmodifiableList(elements));
    }

    public Kind kind() {
        return kind;
    }

    public boolean isObject() {
        return kind == Kind.OBJECT;
    }

    public boolean isString() {
        return kind == Kind.STRING;
    }

    /** A number without fraction or exponent (of any size: see {@link #fitsLong}). */
    public boolean isIntegral() {
        return kind == Kind.NUMBER && integral;
    }

    /** An integral number within {@code long}'s range. */
    public boolean fitsLong() {
        if (!isIntegral()) {
            return false;
        }
        try {
            Long.parseLong(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** @throws IllegalStateException unless {@link #fitsLong} */
    public long asLong() {
        if (!fitsLong()) {
            throw new IllegalStateException("not a whole number within long's range: " + Json.write(this));
        }
        return Long.parseLong(text);
    }

    /** The value as JavaScript's truthiness sees it: false, null, 0 and "" are falsy; objects and arrays not. */
    public boolean isFalsy() {
        return switch (kind) {
            case FALSE, NULL -> true;
            case STRING -> text.isEmpty();
            case NUMBER -> Double.parseDouble(text) == 0; // 0, -0, 0.0, 0e5, and 1e-400 (which underflows to 0)
            default -> false;
        };
    }

    /** @throws IllegalStateException unless {@link #isString} */
    public String asString() {
        if (kind != Kind.STRING) {
            throw new IllegalStateException("not a string: " + Json.write(this));
        }
        return text;
    }

    /** The member called {@code name}, or null if there is none or this is not an object. */
    public JsonValue get(String name) {
        return members == null ? null : members.get(name);
    }

    public boolean has(String name) {
        return members != null && members.containsKey(name);
    }

    /** An object's members in document order (read-only); empty for anything else. */
    public Map<String, JsonValue> members() {
        return members == null ? Map.of() : Collections.unmodifiableMap(members);
    }

    /** Sets a member of this object: a new name goes last, an existing one keeps its place. */
    public JsonValue put(String name, JsonValue value) {
        if (members == null) {
            throw new IllegalStateException("not an object: " + Json.write(this));
        }
        members.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        return this;
    }

    List<JsonValue> elements() {
        return elements;
    }

    String text() {
        return text;
    }

    /** Compact JSON text, as {@link Json#write} gives it. */
    @Override
    public String toString() {
        return Json.write(this);
    }
}
