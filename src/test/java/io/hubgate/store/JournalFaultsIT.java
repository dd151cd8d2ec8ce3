package io.hubgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateProcess;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The journal's defined behaviour for bad input and faults, each with a real Hubgate process: a torn and a
 * corrupt journal, a crash in the middle of a compaction, a second process on the same directory, a journal
 * from a newer format, a read-only and a full state directory.
 */
@Timeout(300)
class JournalFaultsIT {

    static final JsonMapper MAPPER = JsonMapper.builder().build();
    static HttpBackend backend;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBackend() {
        backend = new HttpBackend("faults-it");
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    /** A process on loopback ports, listening; Netty's leak reports fail the test at close. */
    HubgateProcess start(String name, HubgateProcess.Options options, List<String> args) {
        return HubgateProcess.startOnLoopback(tmp, name, options, args).awaitListening();
    }

    HubgateProcess start(String name, List<String> args) {
        return start(name, HubgateProcess.Options.failingOnLeaks(), args);
    }

    /** A process that is expected to fail at startup: nothing waits for it to listen. */
    HubgateProcess launch(String name, List<String> args) {
        return HubgateProcess.startOnLoopback(tmp, name, HubgateProcess.Options.failingOnLeaks(), args);
    }

    static List<String> args(Path state) {
        return List.of("--storage-backend", "file://" + state);
    }

    static String route(int i) {
        return "{\"target\":\"" + backend.url() + "/t/" + i + "\",\"i\":" + i + "}";
    }

    static JsonNode table(HubgateProcess p) {
        return MAPPER.readTree(p.routesBytes());
    }

    static List<String> paths(HubgateProcess p) {
        List<String> out = new ArrayList<>();
        table(p).propertyNames().forEach(out::add);
        return out;
    }

    /** Adds {@code /r0../r(n-1)} and kills the process. */
    void fiveRoutesThenKill(Path state, int n) {
        try (HubgateProcess p = start("setup", args(state))) {
            for (int i = 0; i < n; i++) {
                assertThat(p.post("/r" + i, route(i))).isEqualTo(201);
            }
            p.kill();
        }
    }

    @Test
    void aTornLastRecordIsDroppedAndLogged() throws Exception {
        Path state = tmp.resolve("state");
        fiveRoutesThenKill(state, 3);
        Path journal = state.resolve("routes.journal");
        // a crash in the middle of appending a fourth record
        Files.writeString(journal, "{\"v\":4,\"op\":\"put\",\"path\":\"/torn\",\"da", StandardOpenOption.APPEND);
        try (HubgateProcess p = start("restarted", args(state))) {
            assertThat(p.logged("Journal " + journal + " ended with an interrupted write: dropped the last 1 line(s)"))
                    .isTrue();
            assertThat(paths(p)).containsExactly("/r0", "/r1", "/r2");
            assertThat(p.post("/r3", route(3))).isEqualTo(201);
            assertThat(p.proxyGet("127.0.0.1", "/r2/x")).contains("\"url\":\"/t/2/r2/x\"");
        }
    }

    @Test
    void aCorruptRecordInTheMiddleStopsStartupWithExitCode1AndChangesNothing() throws Exception {
        Path state = tmp.resolve("state");
        fiveRoutesThenKill(state, 5);
        Path journal = state.resolve("routes.journal");
        byte[] bytes = Files.readAllBytes(journal);
        int line3 = 0;
        for (int i = 0, lines = 0; i < bytes.length && lines < 2; i++) {
            if (bytes[i] == '\n' && ++lines == 2) {
                line3 = i + 1;
            }
        }
        bytes[line3 + 25] ^= 0x02;
        Files.write(journal, bytes);
        try (HubgateProcess p = launch("corrupt", args(state))) {
            assertThat(p.awaitExit()).isEqualTo(1);
            assertThat(p.logged("error: Journal " + journal + " is corrupt at line 3 (byte " + line3 + "): checksum mismatch"))
                    .as(p.logs()).isTrue();
            assertThat(p.logged("Hubgate did not start and changed nothing")).isTrue();
            assertThat(p.logged("Proxying")).isFalse();
        }
        assertThat(Files.readAllBytes(journal)).isEqualTo(bytes);
    }

    @Test
    void aCrashDuringCompactionLeavesAUsableState() throws Exception {
        Path state = tmp.resolve("state");
        HubgateProcess.Options crashing = HubgateProcess.Options.failingOnLeaks();
        crashing.javaOpts += " -D" + JournalOptions.COMPACT_AFTER_RECORDS_PROPERTY + "=50 -D" + JournalOptions.CRASH_PROPERTY
                + "=snapshot-half-written";
        List<String> acknowledged = new ArrayList<>();
        HubgateProcess p = start("crashing", crashing, args(state));
        try {
            for (int i = 0; i < 200; i++) {
                int status;
                try {
                    status = p.post("/r" + i, route(i));
                } catch (UncheckedIOException e) {
                    break; // the process is gone
                }
                assertThat(status).isEqualTo(201);
                acknowledged.add("/r" + i);
            }
            assertThat(p.awaitExit()).isEqualTo(JournalOptions.CRASH_EXIT_CODE);
        } finally {
            p.close();
        }
        assertThat(p.logged("halting the process at compaction step SNAPSHOT_HALF_WRITTEN")).isTrue();
        // the 50th record starts the compaction that halts the process; its 201 may or may not get out first
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(49);
        assertThat(Files.exists(state.resolve("routes.snapshot.tmp"))).as("the half-written snapshot").isTrue();

        HubgateProcess.Options compacting = HubgateProcess.Options.failingOnLeaks();
        compacting.javaOpts += " -D" + JournalOptions.COMPACT_AFTER_RECORDS_PROPERTY + "=50";
        try (HubgateProcess q = start("recovering", compacting, args(state))) {
            assertThat(q.logged("a compaction was interrupted before it finished")).isTrue();
            assertThat(Files.exists(state.resolve("routes.snapshot.tmp"))).isFalse();
            // Every acknowledged route survived. The requests were sequential, so at most one was in flight at
            // the halt: it may have reached the journal without its answer reaching the client.
            List<String> recovered = paths(q);
            assertThat(recovered).startsWith(acknowledged.toArray(String[]::new));
            assertThat(recovered.size() - acknowledged.size()).isBetween(0, 1);
            acknowledged.clear();
            acknowledged.addAll(recovered);
            // and compaction works again afterwards
            for (int i = 200; i < 260; i++) {
                assertThat(q.post("/r" + i, route(i))).isEqualTo(201);
                acknowledged.add("/r" + i);
            }
            q.awaitLogged("Compacted the journal");
            q.kill();
        }
        try (HubgateProcess r = start("restarted", args(state))) {
            assertThat(paths(r)).containsExactlyElementsOf(acknowledged);
            assertThat(r.proxyGet("127.0.0.1", "/r7/x")).contains("\"url\":\"/t/7/r7/x\"");
        }
    }

    @Test
    void aSecondHubgateOnTheSameDirectoryRefusesToStart() {
        Path state = tmp.resolve("state");
        try (HubgateProcess first = start("first", args(state))) {
            assertThat(first.post("/a", route(1))).isEqualTo(201);
            try (HubgateProcess second = launch("second", args(state))) {
                assertThat(second.awaitExit()).isEqualTo(1);
                assertThat(second.logged("error: State directory " + state + " is in use by another Hubgate process (pid "
                        + first.pid() + ")")).as(second.logs()).isTrue();
            }
            // the first one is unaffected
            assertThat(first.post("/b", route(2))).isEqualTo(201);
            assertThat(paths(first)).containsExactly("/a", "/b");
        }
    }

    @Test
    void aJournalOfANewerFormatIsRefusedAndLeftAlone() throws Exception {
        Path state = Files.createDirectories(tmp.resolve("state"));
        Path journal = state.resolve("routes.journal");
        String future = new String(JournalLine.seal("{\"hubgate\":\"journal\",\"format\":2,\"epoch\":\"x\""),
                StandardCharsets.UTF_8) + "{\"v\":1,\"op\":\"upsert\",\"whatever\":true}\n";
        Files.writeString(journal, future);
        try (HubgateProcess p = launch("newer-format", args(state))) {
            assertThat(p.awaitExit()).isEqualTo(1);
            assertThat(p.logged("error: " + journal + " has format version 2, newer than this Hubgate reads (1)")).isTrue();
        }
        assertThat(Files.readString(journal)).isEqualTo(future);
    }

    @Test
    void anUnwritableStateDirectoryIsAStartupError() throws Exception {
        if (!Tmpfs.runningAsRoot()) { // root ignores permissions: it gets a read-only mount below instead
            Path dir = Files.createDirectories(tmp.resolve("ro"));
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
            try (HubgateProcess p = launch("unwritable", args(dir))) {
                assertThat(p.awaitExit()).isEqualTo(1);
                assertThat(p.logged("error: State directory " + dir + " is not writable (cannot open " + dir.resolve("lock")))
                        .as(p.logs()).isTrue();
            }
            return;
        }
        try (Tmpfs ro = Tmpfs.mount(tmp.resolve("ro"), "ro,size=64k")) {
            assumeTrue(ro != null, "cannot mount a tmpfs here");
            try (HubgateProcess p = launch("read-only", args(ro.dir().resolve("state")))) {
                assertThat(p.awaitExit()).isEqualTo(1);
                assertThat(p.logged("error: Cannot create state directory " + ro.dir().resolve("state")))
                        .as(p.logs()).isTrue();
                assertThat(p.logged("Read-only file system")).isTrue();
            }
        }
    }

    @Test
    void aFullDiskAtStartupWithADefaultTargetIsAClearStartupError() throws Exception {
        assumeTrue(Tmpfs.runningAsRoot(), "mounting a tmpfs needs root");
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("tiny"), "size=64k")) {
            assumeTrue(disk != null, "cannot mount a tmpfs here");
            // 14 of the 16 pages: the lock file and the journal's header fit, the default route's record does not
            // (its target alone is longer than a page, so it could not fit in the header's page either)
            Files.write(disk.dir().resolve("filler"), new byte[56 * 1024]);
            String target = "http://127.0.0.1:9/" + "x".repeat(9000);
            List<String> args = new ArrayList<>(args(disk.dir().resolve("state")));
            args.addAll(List.of("--default-target", target));
            try (HubgateProcess p = launch("full-disk", args)) {
                assertThat(p.awaitExit()).isEqualTo(1);
                p.awaitLogged("error: Cannot add the default route / -> " + target + ": ");
                assertThat(p.outputLines().stream().filter(l -> l.contains("error: Cannot add the default route")))
                        .singleElement().asString().endsWith("No space left on device");
            }
        }
    }

    @Test
    void aFullDiskAnswers503KeepsRoutingAndRecovers() throws Exception {
        assumeTrue(Tmpfs.runningAsRoot(), "mounting a tmpfs needs root");
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("small"), "size=64k")) {
            assumeTrue(disk != null, "cannot mount a tmpfs here");
            Path filler = Files.write(disk.dir().resolve("filler"), new byte[16 * 1024]);
            Path state = disk.dir().resolve("state");
            String pad = "p".repeat(1500);
            List<String> acknowledged = new ArrayList<>();
            List<String> withMetrics = new ArrayList<>(args(state));
            withMetrics.addAll(List.of("--metrics-ip", "127.0.0.1", "--metrics-port", "0"));
            try (HubgateProcess p = start("filling", withMetrics)) {
                assertThat(p.metric("hubgate_route_store_writable")).isEqualTo("1");
                HttpResponse<byte[]> refused = null;
                for (int i = 0; i < 200 && refused == null; i++) {
                    HttpResponse<byte[]> r = p.api("POST", "/r" + i, "{\"target\":\"" + backend.url() + "/t/" + i
                            + "\",\"pad\":\"" + pad + "\"}");
                    if (r.statusCode() == 201) {
                        acknowledged.add("/r" + i);
                    } else {
                        refused = r;
                    }
                }
                assertThat(refused).as("the disk filled up").isNotNull();
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(new String(refused.body(), StandardCharsets.UTF_8)).startsWith("Route store unavailable: "
                        + "Cannot write journal " + state.resolve("routes.journal")).endsWith("No space left on device");
                // the log line and the 503 are written by different threads: wait for the line, bounded
                p.awaitLogged("error: Cannot write journal " + state.resolve("routes.journal"));
                assertThat(p.metric("hubgate_route_store_writable")).isEqualTo("0");
                // the data plane does not care
                assertThat(p.proxyGet("127.0.0.1", "/r0/x")).contains("\"url\":\"/t/0/r0/x\"");
                assertThat(paths(p)).containsExactlyElementsOf(acknowledged);

                Files.delete(filler);
                assertThat(p.post("/after", route(7))).isEqualTo(201);
                acknowledged.add("/after");
                p.awaitLogged("Journal writes succeed again");
                assertThat(p.metric("hubgate_route_store_writable")).isEqualTo("1");
                p.kill();
            }
            try (HubgateProcess q = start("restarted", args(state))) {
                assertThat(paths(q)).containsExactlyElementsOf(acknowledged);
            }
        }
    }
}
