package io.hubgate.store;

import io.hubgate.json.Json;
import io.hubgate.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a journal state directory back into a table, without changing any file: the snapshot (if any),
 * then the journal records after the snapshot's version.
 *
 * <p>Rules (docs/durability.md):
 * <ul>
 *   <li>A journal whose tail after the last intact record does not check out is an interrupted write: the
 *       tail is reported as torn and the caller cuts it off. None of it was acknowledged (writes are
 *       acknowledged only after the fsync that covers them).</li>
 *   <li>A bad record followed by an intact one is corruption, not an interrupted write: recovery stops with a
 *       {@link StoreException} naming the file, line and byte offset.</li>
 *   <li>A snapshot is written to a temporary file and renamed into place, so any damage in it is corruption.</li>
 *   <li>A file of a newer format version is refused before anything else is read.</li>
 * </ul>
 */
final class JournalRecovery {

    /** What recovery found. {@code tornBytes > 0} means the journal must be cut to {@code journalGoodLength}. */
    record Recovered(String epoch, long version, List<StoredRoute> routes, boolean journalExists,
                     long journalHeaderLength, long journalGoodLength, long tornBytes, int tornLines,
                     long snapshotVersion, long snapshotBytes, int journalRouteRecords, long journalActivityRecords) {
    }

    private final Path dir;

    JournalRecovery(Path dir) {
        this.dir = dir;
    }

    Recovered recover() throws StoreException {
        LinkedHashMap<String, StoredRoute> routes = new LinkedHashMap<>();
        Path snapshotFile = dir.resolve(JournalFormat.SNAPSHOT);
        String epoch = null;
        long snapshotVersion = 0;
        long snapshotBytes = 0;
        try (InputStream in = Files.newInputStream(snapshotFile)) {
            SnapshotHeader header = readSnapshot(snapshotFile, in, routes);
            epoch = header.epoch;
            snapshotVersion = header.version;
            snapshotBytes = Files.size(snapshotFile);
        } catch (NoSuchFileException e) {
            // no compaction yet
        } catch (IOException e) {
            throw new StoreException("Cannot read snapshot " + snapshotFile + ": " + describe(e), e);
        }

        Path journalFile = dir.resolve(JournalFormat.JOURNAL);
        JournalScan scan = new JournalScan(journalFile, snapshotVersion, routes);
        try (InputStream in = Files.newInputStream(journalFile)) {
            scan.read(in);
        } catch (NoSuchFileException e) {
            return new Recovered(epoch, snapshotVersion, new ArrayList<>(routes.values()), false, 0, 0, 0, 0,
                    snapshotVersion, snapshotBytes, 0, 0);
        } catch (IOException e) {
            throw new StoreException("Cannot read journal " + journalFile + ": " + describe(e), e);
        }
        if (scan.epoch != null && epoch != null && !scan.epoch.equals(epoch)) {
            throw corrupt(journalFile, 1, 0, "its epoch " + scan.epoch + " is not the snapshot's " + epoch
                    + " (the files come from different state directories)");
        }
        return new Recovered(epoch != null ? epoch : scan.epoch, scan.version, new ArrayList<>(routes.values()),
                true, scan.headerLength, scan.goodLength, scan.tornBytes, scan.tornLines, snapshotVersion, snapshotBytes,
                scan.routeRecords, scan.activityRecords);
    }

    private record SnapshotHeader(String epoch, long version) {
    }

    private SnapshotHeader readSnapshot(Path file, InputStream in, Map<String, StoredRoute> routes)
            throws IOException, StoreException {
        LineReader lines = new LineReader(in);
        int lineNo = 0;
        if (!lines.next()) {
            throw corruptSnapshot(file, 1, 0, "the file is empty");
        }
        lineNo++;
        refuseNewerFormat(file, lines, "snapshot");
        JsonValue header = check(file, lines, lineNo, true);
        checkHeader(file, header, "snapshot");
        String epoch = text(file, header, "epoch", lineNo, lines);
        long version = number(file, header, "v", lineNo, lines);
        long expected = number(file, header, "routes", lineNo, lines);
        while (lines.next()) {
            lineNo++;
            JsonValue node = check(file, lines, lineNo, true);
            if (node.has("end")) {
                long end = number(file, node, "end", lineNo, lines);
                if (end != expected || routes.size() != expected) {
                    throw corruptSnapshot(file, lineNo, lines.lineOffset, "it holds " + routes.size()
                            + " routes, its header says " + expected + " and its trailer " + end);
                }
                if (lines.next()) {
                    throw corruptSnapshot(file, lineNo + 1, lines.lineOffset, "there is data after the trailer");
                }
                return new SnapshotHeader(epoch, version);
            }
            String path = text(file, node, "path", lineNo, lines);
            String data = text(file, node, "data", lineNo, lines);
            long at = number(file, node, "at", lineNo, lines);
            routes.put(path, new StoredRoute(path, data, at));
        }
        throw corruptSnapshot(file, lineNo, lines.endOffset(), "it ends without its trailer line");
    }

    /** Scans the journal: header, then records; remembers where the intact part ends. */
    private final class JournalScan {
        final Path file;
        final long snapshotVersion;
        final Map<String, StoredRoute> routes;
        String epoch;
        long version;
        long headerLength;
        long goodLength;
        long tornBytes;
        int tornLines;
        int routeRecords;
        long activityRecords;

        JournalScan(Path file, long snapshotVersion, Map<String, StoredRoute> routes) {
            this.file = file;
            this.snapshotVersion = snapshotVersion;
            this.routes = routes;
            this.version = snapshotVersion;
        }

        void read(InputStream in) throws IOException, StoreException {
            LineReader lines = new LineReader(in);
            int lineNo = 0;
            boolean headerSeen = false;
            boolean firstLineTorn = false;
            // the first bad line not yet known to be torn: if an intact line follows, it is corruption
            int badLine = 0;
            long badOffset = -1;
            String badReason = null;
            while (lines.next()) {
                lineNo++;
                if (lineNo == 1) {
                    refuseNewerFormat(file, lines, "journal");
                }
                JsonValue node = null;
                String reason;
                if (!lines.terminated) {
                    reason = "the last line has no newline";
                } else if (lines.allZero()) {
                    reason = "the line holds only zero bytes";
                } else {
                    try {
                        node = JournalLine.open(lines.bytes, 0, lines.length);
                        reason = null;
                    } catch (JournalLine.BadLineException e) {
                        reason = e.getMessage();
                    }
                }
                if (node == null) {
                    if (lineNo == 1) {
                        firstLineTorn = looksLikeTornHeader(lines);
                    }
                    if (badLine == 0) {
                        badLine = lineNo;
                        badOffset = lines.lineOffset;
                        badReason = reason;
                    }
                    continue;
                }
                if (badLine != 0) {
                    throw corrupt(file, badLine, badOffset, badReason + "; it is followed by intact line " + lineNo
                            + ", so this is not an interrupted write");
                }
                if (!headerSeen) {
                    checkHeader(file, node, "journal");
                    epoch = text(file, node, "epoch", lineNo, lines);
                    headerSeen = true;
                    headerLength = lines.endOffset();
                } else {
                    apply(node, lineNo, lines);
                }
                goodLength = lines.endOffset();
            }
            if (badLine != 0) {
                tornBytes = lines.endOffset() - goodLength;
                tornLines = lineNo - badLine + 1;
                if (!headerSeen) {
                    if (!firstLineTorn) {
                        throw new StoreException(file + " is not a Hubgate journal file (its first line is not a "
                                + "journal header: " + badReason + "). Hubgate did not start and changed nothing.");
                    }
                    goodLength = 0; // the header itself is torn: the file was being created
                }
            }
        }

        private void apply(JsonValue node, int lineNo, LineReader lines) throws StoreException {
            JsonValue op = node.get("op");
            String kind = op != null && op.isString() ? op.asString() : null;
            if ("activity".equals(kind)) {
                JsonValue at = node.get("at");
                if (at == null || !at.isObject()) {
                    throw corrupt(file, lineNo, lines.lineOffset, "an activity record without its 'at' object");
                }
                for (Map.Entry<String, JsonValue> e : at.members().entrySet()) {
                    StoredRoute r = routes.get(e.getKey());
                    if (r != null && e.getValue().fitsLong() && e.getValue().asLong() > r.lastActivityMillis()) {
                        routes.put(r.path(), new StoredRoute(r.path(), r.dataJson(), e.getValue().asLong()));
                    }
                }
                activityRecords++;
                return;
            }
            if (!"put".equals(kind) && !"delete".equals(kind)) {
                throw corrupt(file, lineNo, lines.lineOffset, "unknown record type " + op);
            }
            long v = number(file, node, "v", lineNo, lines);
            if (v <= snapshotVersion) {
                return; // already in the snapshot (a compaction stopped before it cut the journal)
            }
            if (v != version + 1) {
                throw corrupt(file, lineNo, lines.lineOffset, "version " + v + " follows version " + version);
            }
            String path = text(file, node, "path", lineNo, lines);
            if (kind.equals("put")) {
                routes.put(path, new StoredRoute(path, text(file, node, "data", lineNo, lines),
                        number(file, node, "at", lineNo, lines)));
            } else {
                routes.remove(path);
            }
            version = v;
            routeRecords++;
        }
    }

    private static final byte[] HEADER_START = "{\"hubgate\":\"journal\",".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Whether a bad first line is an interrupted creation of the journal (nothing, zeros, or the start of a
     * header without its newline) rather than some other file that happens to have our name.
     */
    private static boolean looksLikeTornHeader(LineReader lines) {
        if (lines.allZero()) {
            return true;
        }
        if (lines.terminated) {
            return false;
        }
        int n = Math.min(lines.length, HEADER_START.length);
        for (int i = 0; i < n; i++) {
            if (lines.bytes[i] != HEADER_START[i]) {
                return false;
            }
        }
        return true;
    }

    private JsonValue check(Path file, LineReader lines, int lineNo, boolean snapshot) throws StoreException {
        try {
            if (!lines.terminated) {
                throw new JournalLine.BadLineException("the line has no newline");
            }
            return JournalLine.open(lines.bytes, 0, lines.length);
        } catch (JournalLine.BadLineException e) {
            throw snapshot ? corruptSnapshot(file, lineNo, lines.lineOffset, e.getMessage())
                    : corrupt(file, lineNo, lines.lineOffset, e.getMessage());
        }
    }

    /**
     * Refuses a newer format from its first line even if that line does not check out: a newer format may
     * frame its lines differently, and "newer format" is the useful message then, not "corrupt".
     */
    private void refuseNewerFormat(Path file, LineReader lines, String kind) throws StoreException {
        JsonValue header;
        try {
            header = Json.parse(lines.bytes, 0, lines.length);
        } catch (RuntimeException e) {
            return; // not JSON at all: the checksum check will say what is wrong
        }
        if (header != null && header.isObject() && header.has("format") && header.get("format").fitsLong()
                && header.get("format").asLong() > JournalFormat.VERSION && isString(header.get("hubgate"), kind)) {
            checkHeader(file, header, kind);
        }
    }

    /** Refuses other kinds of files and newer formats (before looking at anything else in them). */
    private static void checkHeader(Path file, JsonValue header, String kind) throws StoreException {
        JsonValue format = header.get("format");
        if (!isString(header.get("hubgate"), kind) || format == null || !format.fitsLong()) {
            throw new StoreException(file + " is not a Hubgate " + kind + " file (its first line is not a " + kind
                    + " header). Hubgate did not start and changed nothing.");
        }
        if (format.asLong() > JournalFormat.VERSION) {
            throw new StoreException(file + " has format version " + format.asLong() + ", newer than this Hubgate "
                    + "reads (" + JournalFormat.VERSION + "). It was written by a newer Hubgate; run that version, or "
                    + "move the state directory aside. Hubgate did not start and changed nothing.");
        }
        if (format.asLong() < 1) {
            throw new StoreException(file + " has an invalid format version " + format.asLong()
                    + ". Hubgate did not start and changed nothing.");
        }
    }

    private static boolean isString(JsonValue v, String expected) {
        return v != null && v.isString() && v.asString().equals(expected);
    }

    private static String text(Path file, JsonValue node, String field, int lineNo, LineReader lines)
            throws StoreException {
        JsonValue v = node.get(field);
        if (v == null || !v.isString()) {
            throw corrupt(file, lineNo, lines.lineOffset, "field '" + field + "' is missing or not a string");
        }
        return v.asString();
    }

    private static long number(Path file, JsonValue node, String field, int lineNo, LineReader lines)
            throws StoreException {
        JsonValue v = node.get(field);
        if (v == null || !v.fitsLong()) {
            throw corrupt(file, lineNo, lines.lineOffset, "field '" + field + "' is missing or not a whole number");
        }
        return v.asLong();
    }

    static StoreException corrupt(Path file, int line, long offset, String reason) {
        return new StoreException("Journal " + file + " is corrupt at line " + line + " (byte " + offset + "): "
                + reason + ". Hubgate did not start and changed nothing; restore the state directory from a "
                + "backup, or move it aside to start with an empty table.");
    }

    static StoreException corruptSnapshot(Path file, int line, long offset, String reason) {
        return new StoreException("Snapshot " + file + " is corrupt at line " + line + " (byte " + offset + "): "
                + reason + ". Hubgate did not start and changed nothing; restore the state directory from a "
                + "backup, or move it aside to start with an empty table.");
    }

    static String describe(IOException e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return message == null ? kind : kind + ": " + message;
    }
}
