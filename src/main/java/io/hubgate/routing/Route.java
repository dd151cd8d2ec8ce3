package io.hubgate.routing;

import io.hubgate.json.Utf8Buffer;
import java.util.Objects;

/**
 * One entry of the routing table: the normalised key, the target parsed once at write time, the
 * client's JSON data pre-rendered around the {@code last_activity} value, and the activity cell.
 *
 * <p>The JSON is kept as two fragments so that listing 100,000 routes is string concatenation, not
 * re-serialisation: {@code jsonHead + "2026-11-22T08:42:39.776Z" + jsonTail} is the route object exactly
 * as the API returns it (keys in POST order, {@code host} after them, {@code last_activity} last unless
 * the body already had it). In the common case, compact data without {@code last_activity}, the head is
 * the data text itself up to its closing brace and is not kept a second time ({@link #withActivityLast}).
 */
public final class Route {

    private static final String ACTIVITY_MEMBER = "\"last_activity\":\"";
    private static final String ACTIVITY_LAST_TAIL = "\"}";

    private final String path;
    private final Target target;
    private final String dataJson;
    /** Null when the head is {@code dataJson} without its closing brace, then {@code "last_activity":"}. */
    private final String jsonHead;
    private final String jsonTail;
    private final ActivityCell activity;
    /** Every fragment is ASCII: rendering is array copies (listing 10,000 routes right after they were added). */
    private final boolean asciiJson;
    /** The path is printable ASCII without quote or backslash: its JSON string is the path in quotes. */
    private final boolean plainPath;

    public Route(String path, Target target, String dataJson, String jsonHead, String jsonTail,
                 ActivityCell activity) {
        this.path = Objects.requireNonNull(path, "path");
        this.target = Objects.requireNonNull(target, "target");
        this.dataJson = Objects.requireNonNull(dataJson, "dataJson");
        this.jsonHead = Objects.requireNonNull(jsonHead, "jsonHead");
        this.jsonTail = Objects.requireNonNull(jsonTail, "jsonTail");
        this.activity = Objects.requireNonNull(activity, "activity");
        this.asciiJson = Utf8Buffer.isAscii(jsonHead) && Utf8Buffer.isAscii(jsonTail);
        this.plainPath = isPlain(path);
    }

    private Route(String path, Target target, String compactData, ActivityCell activity) {
        this.path = Objects.requireNonNull(path, "path");
        this.target = Objects.requireNonNull(target, "target");
        this.dataJson = compactData;
        this.jsonHead = null;
        this.jsonTail = ACTIVITY_LAST_TAIL;
        this.activity = Objects.requireNonNull(activity, "activity");
        this.asciiJson = Utf8Buffer.isAscii(compactData);
        this.plainPath = isPlain(path);
    }

    private static boolean isPlain(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /**
     * A route whose object is its data with {@code last_activity} appended: {@code compactData} must be a
     * JSON object in compact form ({@code {"target":"...",...}} or {@code {}}) without a {@code last_activity}
     * member. Keeps one string where the general constructor keeps two.
     */
    public static Route withActivityLast(String path, Target target, String compactData, ActivityCell activity) {
        if (compactData.length() < 2 || compactData.charAt(0) != '{' || compactData.charAt(compactData.length() - 1) != '}') {
            throw new IllegalArgumentException("not a compact JSON object: " + compactData);
        }
        return new Route(path, target, compactData, activity);
    }

    /** The normalised route key, e.g. {@code /user/alice} or {@code /}. */
    public String path() {
        return path;
    }

    public Target target() {
        return target;
    }

    /** The stored data object (without {@code last_activity}), as JSON text; what stores persist. */
    public String dataJson() {
        return dataJson;
    }

    public String jsonHead() {
        if (jsonHead != null) {
            return jsonHead;
        }
        StringBuilder head = new StringBuilder(dataJson.length() + ACTIVITY_MEMBER.length());
        appendDerivedHead(head);
        return head.toString();
    }

    public String jsonTail() {
        return jsonTail;
    }

    public ActivityCell activity() {
        return activity;
    }

    /** Appends the route object as the API returns it. */
    public void renderJson(Utf8Buffer out) {
        if (!asciiJson) {
            out.append(jsonHead());
            Timestamps.appendIso(out, activity.millis());
            out.append(jsonTail);
            return;
        }
        if (jsonHead != null) {
            out.appendAscii(jsonHead);
        } else {
            out.appendAscii(dataJson, 0, dataJson.length() - 1);
            if (dataJson.length() > 2) { // not {}
                out.append(',');
            }
            out.appendAscii(ACTIVITY_MEMBER);
        }
        Timestamps.appendIso(out, activity.millis());
        out.appendAscii(jsonTail);
    }

    /** Appends the path as a JSON string (the member name in {@code GET /api/routes}). */
    public void renderQuotedPath(Utf8Buffer out) {
        if (plainPath) {
            out.append('"').appendAscii(path).append('"');
        } else {
            out.appendQuoted(path);
        }
    }

    private void appendDerivedHead(StringBuilder out) {
        int close = dataJson.length() - 1;
        out.append(dataJson, 0, close);
        if (close > 1) { // not {}
            out.append(',');
        }
        out.append(ACTIVITY_MEMBER);
    }

    @Override
    public String toString() {
        return path + " -> " + target;
    }
}
