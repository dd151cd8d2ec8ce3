package io.hubgate.store;

import java.util.Map;

/**
 * The files of a journal state directory and the records in them (format version {@value #VERSION}).
 * Every line is a checksummed JSON object ({@link JournalLine}).
 *
 * <pre>
 * routes.journal    {"hubgate":"journal","format":1,"epoch":"…"}                        header
 *                   {"v":8,"op":"put","path":"/user/a","data":"{…}","at":1732265000000}   route added/replaced
 *                   {"v":9,"op":"delete","path":"/user/a"}                                route removed
 *                   {"op":"activity","at":{"/user/b":1732265009000}}                      last_activity max-merge
 * routes.snapshot   {"hubgate":"snapshot","format":1,"epoch":"…","v":7,"routes":2}         header
 *                   {"path":"/","data":"{…}","at":1732265000000}                          one line per route, in order
 *                   {"end":2}                                                              trailer
 * lock              the pid of the Hubgate holding the directory's lock
 * </pre>
 *
 * Route data is stored as a JSON string holding the data object's text, so it reads back byte for byte.
 */
final class JournalFormat {

    static final int VERSION = 1;
    static final String JOURNAL = "routes.journal";
    static final String SNAPSHOT = "routes.snapshot";
    static final String SNAPSHOT_TEMP = "routes.snapshot.tmp";
    static final String LOCK = "lock";

    private JournalFormat() {
    }

    static byte[] journalHeader(String epoch) {
        StringBuilder b = new StringBuilder(96).append("{\"hubgate\":\"journal\",\"format\":").append(VERSION)
                .append(",\"epoch\":");
        JournalLine.appendString(b, epoch);
        return JournalLine.seal(b);
    }

    static byte[] put(RouteChange change) {
        StringBuilder b = new StringBuilder(64 + change.path().length() + change.dataJson().length() * 9 / 8)
                .append("{\"v\":").append(change.version()).append(",\"op\":\"put\",\"path\":");
        JournalLine.appendString(b, change.path());
        b.append(",\"data\":");
        JournalLine.appendString(b, change.dataJson());
        b.append(",\"at\":").append(change.activityMillis());
        return JournalLine.seal(b);
    }

    static byte[] delete(RouteChange change) {
        StringBuilder b = new StringBuilder(48 + change.path().length())
                .append("{\"v\":").append(change.version()).append(",\"op\":\"delete\",\"path\":");
        JournalLine.appendString(b, change.path());
        return JournalLine.seal(b);
    }

    static byte[] activity(Map<String, Long> activity) {
        StringBuilder b = new StringBuilder(32 + activity.size() * 48).append("{\"op\":\"activity\",\"at\":{");
        boolean first = true;
        for (Map.Entry<String, Long> e : activity.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            JournalLine.appendString(b, e.getKey());
            b.append(':').append(e.getValue().longValue());
        }
        b.append('}');
        return JournalLine.seal(b);
    }

    static byte[] snapshotHeader(String epoch, long version, int routes) {
        StringBuilder b = new StringBuilder(128).append("{\"hubgate\":\"snapshot\",\"format\":").append(VERSION)
                .append(",\"epoch\":");
        JournalLine.appendString(b, epoch);
        b.append(",\"v\":").append(version).append(",\"routes\":").append(routes);
        return JournalLine.seal(b);
    }

    static byte[] snapshotRoute(StoredRoute route) {
        StringBuilder b = new StringBuilder(48 + route.path().length() + route.dataJson().length() * 9 / 8)
                .append("{\"path\":");
        JournalLine.appendString(b, route.path());
        b.append(",\"data\":");
        JournalLine.appendString(b, route.dataJson());
        b.append(",\"at\":").append(route.lastActivityMillis());
        return JournalLine.seal(b);
    }

    static byte[] snapshotEnd(int routes) {
        return JournalLine.seal(new StringBuilder(24).append("{\"end\":").append(routes));
    }
}
