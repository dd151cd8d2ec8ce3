package io.hubgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The journal store on a real file system: durability across reopen (byte-exact data, order, activity,
 * versions), recovery of torn and corrupt journals, format versions, the directory lock, compaction and
 * a crash at every step of it, group commit.
 */
class JournalRouteStoreTest {

    @TempDir
    Path tmp;

    final List<JournalRouteStore> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(JournalRouteStore::close);
    }

    JournalRouteStore openStore(Path dir, JournalOptions options) throws StoreException {
        JournalRouteStore store = JournalRouteStore.open(dir, options);
        open.add(store);
        return store;
    }

    JournalRouteStore openStore(Path dir) throws StoreException {
        return openStore(dir, JournalOptions.defaults());
    }

    /** Opens, reads the table and closes (releasing the lock). */
    StoreSnapshot reopen(Path dir) throws StoreException {
        try (JournalRouteStore store = JournalRouteStore.open(dir, JournalOptions.defaults())) {
            return store.snapshot();
        }
    }

    static WriteResult put(RouteStore store, String path, String data, long at) {
        return store.put(path, data, at, null).join();
    }

    static WriteResult delete(RouteStore store, String path) {
        return store.delete(path, null).join();
    }

    static String data(String target, String extra) {
        return "{\"target\":\"" + target + "\"" + extra + "}";
    }

    static final String[] ODD_DATA = {
        "{\"target\":\"http://127.0.0.1:8001\",\"user\":\"zoë\",\"日本語キー\":{\"nested\":[1,2.5,-0.0,1.0E300,"
                + "123456789012345678901234567890,true,false,null],\"deeper\":{\"x\":{}}}}",
        "{\"target\":\"http://127.0.0.1:8002/prefix\",\"emoji\":\"🎉 \\u0000 \\u2028 \\\"q\\\" \\\\ /\",\"lone\":\"\\ud800\"}",
        "{\"target\":\"http+unix://%2Fvar%2Frun%2Fx.sock\",\"last_activity\":\"kept in place\",\"z\":1}",
        "{\"target\":\"http://[::1]:8003\",\"host\":\"alice.example.org\"}",
    };

    @Test
    void routesSurviveReopenByteForByteInOrderWithVersions() throws Exception {
        Path dir = tmp.resolve("state");
        JournalRouteStore store = openStore(dir);
        assertThat(put(store, "/", ODD_DATA[0], 1000)).isEqualTo(new WriteResult(1, true));
        assertThat(put(store, "/user/zoë", ODD_DATA[1], 2000)).isEqualTo(new WriteResult(2, true));
        assertThat(put(store, "/alice.example.org/x", ODD_DATA[3], 3000)).isEqualTo(new WriteResult(3, true));
        assertThat(put(store, "/gone", ODD_DATA[2], 4000)).isEqualTo(new WriteResult(4, true));
        assertThat(delete(store, "/gone")).isEqualTo(new WriteResult(5, true));
        assertThat(put(store, "/user/zoë", ODD_DATA[2], 6000)).isEqualTo(new WriteResult(6, true)); // keeps its place
        StoreSnapshot before = store.snapshot();
        store.close();

        StoreSnapshot after = reopen(dir);
        assertThat(after).isEqualTo(before);
        assertThat(after.version()).isEqualTo(6);
        assertThat(after.routes()).containsExactly(
                new StoredRoute("/", ODD_DATA[0], 1000),
                new StoredRoute("/user/zoë", ODD_DATA[2], 6000),
                new StoredRoute("/alice.example.org/x", ODD_DATA[3], 3000));

        JournalRouteStore again = openStore(dir);
        assertThat(put(again, "/next", data("http://127.0.0.1:9", ""), 7000).version()).isEqualTo(7);
        assertThat(again.snapshot().epoch()).isEqualTo(before.epoch());
    }

    @Test
    void deletingAMissingRouteWritesNothing() throws Exception {
        Path dir = tmp.resolve("state");
        JournalRouteStore store = openStore(dir);
        put(store, "/a", data("http://127.0.0.1:1", ""), 1);
        long size = Files.size(dir.resolve(JournalFormat.JOURNAL));
        long syncs = store.syncCount();
        assertThat(delete(store, "/missing")).isEqualTo(new WriteResult(1, false));
        assertThat(Files.size(dir.resolve(JournalFormat.JOURNAL))).isEqualTo(size);
        assertThat(store.syncCount()).isEqualTo(syncs);
    }

    @Test
    void aWriteIsInTheFileWhenItsFutureCompletes() throws Exception {
        Path dir = tmp.resolve("state");
        JournalRouteStore store = openStore(dir);
        put(store, "/durable", data("http://127.0.0.1:1", ""), 1);
        // read by a second reader while the store is still open: the record is already in the file
        assertThat(Files.readString(dir.resolve(JournalFormat.JOURNAL), StandardCharsets.UTF_8))
                .contains("\"path\":\"/durable\"");
    }

    // ------------------------------------------------------------------------------------ recovery

    /** Writes three routes and returns the journal bytes and the offset where the last record starts. */
    byte[] threeRoutes(Path dir) throws Exception {
        try (JournalRouteStore store = JournalRouteStore.open(dir, JournalOptions.defaults())) {
            put(store, "/one", data("http://127.0.0.1:1", ""), 1);
            put(store, "/two", data("http://127.0.0.1:2", ""), 2);
            put(store, "/three", data("http://127.0.0.1:3", ",\"pad\":\"" + "x".repeat(100) + "\""), 3);
        }
        return Files.readAllBytes(dir.resolve(JournalFormat.JOURNAL));
    }

    static int startOfLastLine(byte[] bytes) {
        for (int i = bytes.length - 2; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return 0;
    }

    static int startOfLine(byte[] bytes, int lineNo) {
        int line = 1;
        for (int i = 0; i < bytes.length; i++) {
            if (line == lineNo) {
                return i;
            }
            if (bytes[i] == '\n') {
                line++;
            }
        }
        throw new IllegalArgumentException("no line " + lineNo);
    }

    @ParameterizedTest(name = "cut {0} bytes into the last record")
    @ValueSource(ints = {1, 40, 100, -1})
    void aTornLastRecordIsDroppedAndTheJournalCutBeforeIt(int keep) throws Exception {
        Path dir = tmp.resolve("state");
        byte[] full = threeRoutes(dir);
        int last = startOfLastLine(full);
        int length = keep > 0 ? last + keep : full.length - 1; // -1: everything but the newline
        Files.write(dir.resolve(JournalFormat.JOURNAL), Arrays.copyOf(full, length));

        StoreSnapshot recovered = reopen(dir);
        assertThat(recovered.routes()).extracting(StoredRoute::path).containsExactly("/one", "/two");
        assertThat(recovered.version()).isEqualTo(2);
        assertThat(Files.size(dir.resolve(JournalFormat.JOURNAL))).isEqualTo(last);

        // appending after the cut works and survives the next reopen
        JournalRouteStore store = openStore(dir);
        assertThat(put(store, "/four", data("http://127.0.0.1:4", ""), 4).version()).isEqualTo(3);
        store.close();
        assertThat(reopen(dir).routes()).extracting(StoredRoute::path).containsExactly("/one", "/two", "/four");
    }

    @Test
    void zeroBytesAfterTheLastRecordAreAnInterruptedWrite() throws Exception {
        Path dir = tmp.resolve("state");
        byte[] full = threeRoutes(dir);
        byte[] padded = Arrays.copyOf(full, full.length + 4096); // file length grew, data never reached the disk
        Files.write(dir.resolve(JournalFormat.JOURNAL), padded);
        assertThat(reopen(dir).routes()).hasSize(3);
        assertThat(Files.size(dir.resolve(JournalFormat.JOURNAL))).isEqualTo(full.length);
    }

    @Test
    void aDamagedLastRecordWithItsNewlineIsDroppedAsTorn() throws Exception {
        Path dir = tmp.resolve("state");
        byte[] bytes = threeRoutes(dir);
        int last = startOfLastLine(bytes);
        bytes[last + 30] ^= 0x01;
        Files.write(dir.resolve(JournalFormat.JOURNAL), bytes);
        assertThat(reopen(dir).routes()).extracting(StoredRoute::path).containsExactly("/one", "/two");
    }

    @Test
    void aCorruptRecordInTheMiddleStopsRecoveryAndChangesNothing() throws Exception {
        Path dir = tmp.resolve("state");
        byte[] bytes = threeRoutes(dir);
        int line3 = startOfLine(bytes, 3); // header, /one, /two <- damaged, /three
        bytes[line3 + 20] ^= 0x04;
        Path journal = dir.resolve(JournalFormat.JOURNAL);
        Files.write(journal, bytes);

        assertThatThrownBy(() -> JournalRouteStore.open(dir, JournalOptions.defaults()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("Journal " + journal + " is corrupt at line 3 (byte " + line3 + "): checksum mismatch")
                .hasMessageContaining("followed by intact line 4, so this is not an interrupted write")
                .hasMessageContaining("Hubgate did not start and changed nothing");
        assertThat(Files.readAllBytes(journal)).isEqualTo(bytes);
        assertThat(Files.exists(dir.resolve(JournalFormat.SNAPSHOT))).isFalse();
        // the lock was released: the same error again, not "in use"
        assertThatThrownBy(() -> JournalRouteStore.open(dir, JournalOptions.defaults()))
                .hasMessageContaining("is corrupt at line 3");
    }

    @Test
    void aMissingRecordInTheMiddleIsAVersionGap() throws Exception {
        Path dir = tmp.resolve("state");
        byte[] bytes = threeRoutes(dir);
        int line3 = startOfLine(bytes, 3);
        int line4 = startOfLine(bytes, 4);
        byte[] without = new byte[bytes.length - (line4 - line3)];
        System.arraycopy(bytes, 0, without, 0, line3);
        System.arraycopy(bytes, line4, without, line3, bytes.length - line4);
        Files.write(dir.resolve(JournalFormat.JOURNAL), without);
        assertThatThrownBy(() -> JournalRouteStore.open(dir, JournalOptions.defaults()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("corrupt at line 3")
                .hasMessageContaining("version 3 follows version 1");
    }

    @Test
    void aTornHeaderMeansTheJournalWasBeingCreated() throws Exception {
        Path dir = tmp.resolve("state");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(JournalFormat.JOURNAL), "{\"hubgate\":\"jour");
        JournalRouteStore store = openStore(dir);
        assertThat(store.snapshot().routes()).isEmpty();
        assertThat(put(store, "/a", data("http://127.0.0.1:1", ""), 1).version()).isEqualTo(1);
        store.close();
        assertThat(reopen(dir).routes()).hasSize(1);
    }

    @Test
    void anotherFileUnderTheJournalsNameIsRefused() throws Exception {
        Path dir = tmp.resolve("state");
        Files.createDirectories(dir);
        Path journal = dir.resolve(JournalFormat.JOURNAL);
        Files.writeString(journal, "these are my notes\n");
        assertThatThrownBy(() -> JournalRouteStore.open(dir, JournalOptions.defaults()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(journal + " is not a Hubgate journal file");
        assertThat(Files.readString(journal)).isEqualTo("these are my notes\n");
    }

    @Test
    void aJournalOfANewerFormatIsRefusedAndLeftAlone() throws Exception {
        Path dir = tmp.resolve("state");
        threeRoutes(dir);
        Path journal = dir.resolve(JournalFormat.JOURNAL);
        List<String> lines = new ArrayList<>(Files.readAllLines(journal));
        lines.set(0, new String(JournalLine.seal("{\"hubgate\":\"journal\",\"format\":2,\"epoch\":\"e\""),
                StandardCharsets.UTF_8).strip());
        Files.write(journal, lines);
        byte[] before = Files.readAllBytes(journal);
        assertThatThrownBy(() -> JournalRouteStore.open(dir, JournalOptions.defaults()))
                .isInstanceOf(StoreException.class)
                .hasMessage(journal + " has format version 2, newer than this Hubgate reads (1). It was written by a "
                        + "newer Hubgate; run that version, or move the state directory aside. Hubgate did not start "
                        + "and changed nothing.");
        assertThat(Files.readAllBytes(journal)).isEqualTo(before);
    }

    @Test
    void aNewerFormatIsRecognisedEvenIfItFramesLinesDifferently() throws Exception {
        Path dir = tmp.resolve("state");
        Files.createDirectories(dir);
        Path journal = dir.resolve(JournalFormat.JOURNAL);
        Files.writeString(journal, "{\"hubgate\":\"journal\",\"format\":7,\"epoch\":\"e\",\"checksum\":\"sha256:...\"}\n"
                + "{\"something\":\"new\"}\n");
        assertThatThrownBy(() -> JournalRouteStore.open(dir, JournalOptions.defaults()))
                .hasMessageContaining("has format version 7, newer than this Hubgate reads (1)");
    }

    @Test
    void aSnapshotOfANewerFormatIsRefused() throws Exception {
        Path dir = tmp.resolve("state");
        try (JournalRouteStore store = JournalRouteStore.open(dir, JournalOptions.defaults())) {
            put(store, "/a", data("http://127.0.0.1:1", ""), 1);
            store.compactNow().join();
        }
        Path snapshot = dir.resolve(JournalFormat.SNAPSHOT);
        List<String> lines = new ArrayList<>(Files.readAllLines(snapshot));
        lines.set(0, new String(JournalLine.seal("{\"hubgate\":\"snapshot\",\"format\":3,\"epoch\":\"e\",\"v\":1,"
                + "\"routes\":1"), StandardCharsets.UTF_8).strip());
        Files.write(snapshot, lines);
        assertThatThrownBy(() -> JournalRouteStore.open(dir, JournalOptions.defaults()))
                .hasMessageStartingWith(snapshot + " has format version 3, newer than this Hubgate reads (1).");
    }

    @Test
    void aDamagedSnapshotIsCorruptionNotATornWrite() throws Exception {
        Path dir = tmp.resolve("state");
        try (JournalRouteStore store = JournalRouteStore.open(dir, JournalOptions.defaults())) {
            put(store, "/a", data("http://127.0.0.1:1", ""), 1);
            put(store, "/b", data("http://127.0.0.1:2", ""), 2);
            store.compactNow().join();
        }
        Path snapshot = dir.resolve(JournalFormat.SNAPSHOT);
        byte[] bytes = Files.readAllBytes(snapshot);
        Files.write(snapshot, Arrays.copyOf(bytes, startOfLastLine(bytes))); // trailer gone
        assertThatThrownBy(() -> JournalRouteStore.open(dir, JournalOptions.defaults()))
                .hasMessageContaining("Snapshot " + snapshot + " is corrupt")
                .hasMessageContaining("it ends without its trailer line");
    }

    // ---------------------------------------------------------------------------------------- lock

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefusedUntilTheFirstCloses() throws Exception {
        Path dir = tmp.resolve("state");
        JournalRouteStore first = openStore(dir);
        put(first, "/a", data("http://127.0.0.1:1", ""), 1);
        assertThatThrownBy(() -> JournalRouteStore.open(dir, JournalOptions.defaults()))
                .isInstanceOf(StoreException.class)
                .hasMessage("State directory " + dir + " is in use by another Hubgate process (pid "
                        + ProcessHandle.current().pid() + "): it holds the lock on " + dir.resolve("lock")
                        + ". Only one Hubgate may use a journal; stop the other one or give this one its own "
                        + "--storage-backend directory.");
        first.close();
        assertThat(reopen(dir).routes()).hasSize(1);
    }

    // ---------------------------------------------------------------------------------- activity

    @Test
    void activityIsMaxMergedAndSurvivesReopen() throws Exception {
        Path dir = tmp.resolve("state");
        JournalRouteStore store = openStore(dir);
        put(store, "/a", data("http://127.0.0.1:1", ""), 1000);
        put(store, "/b", data("http://127.0.0.1:2", ""), 1000);
        store.mergeActivity(Map.of("/a", 5000L, "/b", 2000L, "/missing", 9000L)).join();
        store.mergeActivity(Map.of("/a", 3000L)).join(); // older: ignored
        long version = store.snapshot().version();
        store.close();
        StoreSnapshot after = reopen(dir);
        assertThat(after.version()).as("activity is not a route change").isEqualTo(version);
        assertThat(after.routes()).containsExactly(new StoredRoute("/a", data("http://127.0.0.1:1", ""), 5000),
                new StoredRoute("/b", data("http://127.0.0.1:2", ""), 2000));

        JournalRouteStore again = openStore(dir);
        put(again, "/a", data("http://127.0.0.1:1", ""), 4000); // re-adding resets activity, as CHP does
        again.close();
        assertThat(reopen(dir).routes().get(0).lastActivityMillis()).isEqualTo(4000);
    }

    // -------------------------------------------------------------------------------- compaction

    @Test
    void compactionKeepsTheTableAndShrinksTheJournal() throws Exception {
        Path dir = tmp.resolve("state");
        JournalRouteStore store = openStore(dir, JournalOptions.defaults().withCompactAfterRecords(10));
        for (int i = 0; i < 35; i++) {
            put(store, "/r" + (i % 12), data("http://127.0.0.1:" + (1000 + i), ""), i);
            if (i % 5 == 4) {
                delete(store, "/r" + (i % 7));
            }
        }
        store.mergeActivity(Map.of("/r3", 99_999L)).join();
        assertThat(store.compactionCount()).isGreaterThanOrEqualTo(3);
        StoreSnapshot before = store.snapshot();
        long journalSize = Files.size(dir.resolve(JournalFormat.JOURNAL));
        store.close();
        assertThat(Files.exists(dir.resolve(JournalFormat.SNAPSHOT))).isTrue();
        assertThat(journalSize).isLessThan(10L * 200);
        assertThat(reopen(dir)).isEqualTo(before);
    }

    @Test
    void aCrashAtAnyStepOfACompactionLeavesAUsableState() throws Exception {
        Path dir = tmp.resolve("state");
        Map<CompactionStep, Path> crashed = new EnumMap<>(CompactionStep.class);
        int[] round = {0};
        JournalOptions options = JournalOptions.defaults().withCompactionHook(step -> {
            // what a process crash at this point leaves on disk (the page cache survives a process crash)
            Path copy = tmp.resolve("crash-" + round[0] + "-" + step);
            copyDirectory(dir, copy);
            crashed.put(step, copy);
        });
        JournalRouteStore store = openStore(dir, options);
        for (int i = 0; i < 40; i++) {
            put(store, "/user/" + i, ODD_DATA[i % ODD_DATA.length], i);
        }
        delete(store, "/user/7");
        store.compactNow().join(); // first compaction: no old snapshot yet
        for (int i = 40; i < 60; i++) {
            put(store, "/user/" + i, ODD_DATA[i % ODD_DATA.length], i);
        }
        StoreSnapshot expected = store.snapshot();
        crashed.clear();
        round[0]++;
        store.compactNow().join(); // second compaction: replaces a snapshot
        store.close();

        assertThat(crashed.keySet()).containsExactly(CompactionStep.values());
        assertThat(Files.exists(crashed.get(CompactionStep.SNAPSHOT_HALF_WRITTEN).resolve(JournalFormat.SNAPSHOT_TEMP)))
                .isTrue();
        for (Map.Entry<CompactionStep, Path> e : crashed.entrySet()) {
            StoreSnapshot recovered = reopen(e.getValue());
            assertThat(recovered).as("crash at %s", e.getKey()).isEqualTo(expected);
            assertThat(Files.exists(e.getValue().resolve(JournalFormat.SNAPSHOT_TEMP))).as("temp file after %s",
                    e.getKey()).isFalse();
            // and it keeps working: a write after recovery survives another reopen
            try (JournalRouteStore again = JournalRouteStore.open(e.getValue(), JournalOptions.defaults())) {
                assertThat(put(again, "/after", data("http://127.0.0.1:9", ""), 1).version())
                        .isEqualTo(expected.version() + 1);
            }
            assertThat(reopen(e.getValue()).routes()).hasSize(expected.routes().size() + 1);
        }
    }

    static void copyDirectory(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    // ------------------------------------------------------------------------------ group commit

    @Test
    void writersThatArriveTogetherShareOneFsync() throws Exception {
        CountDownLatch inFirstSync = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JournalOptions options = JournalOptions.defaults().withBeforeSync(() -> {
            if (inFirstSync.getCount() > 0) {
                inFirstSync.countDown();
                await(release);
            }
        });
        JournalRouteStore store = openStore(tmp.resolve("state"), options);
        long syncsBefore = store.syncCount();
        CompletableFuture<WriteResult> first = store.put("/first", data("http://127.0.0.1:1", ""), 1, null);
        await(inFirstSync); // the writer is inside the first write; everything below queues up meanwhile
        List<CompletableFuture<WriteResult>> more = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            more.add(store.put("/more/" + i, data("http://127.0.0.1:2", ""), 2, null));
        }
        assertThat(more).noneMatch(CompletableFuture::isDone);
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).version()).isEqualTo(1);
        for (int i = 0; i < 15; i++) {
            assertThat(more.get(i).get(10, TimeUnit.SECONDS).version()).isEqualTo(2 + i);
        }
        assertThat(store.syncCount() - syncsBefore).isEqualTo(2);
    }

    static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------ change feed

    @Test
    void theChangeFeedStartsAfterTheRecoveredVersion() throws Exception {
        Path dir = tmp.resolve("state");
        threeRoutes(dir);
        JournalRouteStore store = openStore(dir);
        String epoch = store.snapshot().epoch();
        put(store, "/four", data("http://127.0.0.1:4", ""), 4);
        ChangeBatch after3 = store.changesAfter(epoch, 3, Duration.ZERO);
        assertThat(after3).isEqualTo(new ChangeBatch.Changes(List.of(
                RouteChange.put(4, "/four", data("http://127.0.0.1:4", ""), 4)), 4));
        assertThat(store.changesAfter(epoch, 1, Duration.ZERO)).isInstanceOf(ChangeBatch.Gap.class);
        assertThat(store.changesAfter("another", 3, Duration.ZERO)).isInstanceOf(ChangeBatch.Reset.class);
    }

    @Test
    void aWriteForAnotherEpochIsRefused() throws Exception {
        JournalRouteStore store = openStore(tmp.resolve("state"));
        assertThatThrownBy(() -> store.put("/a", data("http://127.0.0.1:1", ""), 1, "not-the-epoch").join())
                .hasCauseInstanceOf(StaleEpochException.class);
        assertThat(store.put("/a", data("http://127.0.0.1:1", ""), 1, store.snapshot().epoch()).join().version())
                .isEqualTo(1);
    }

    @Test
    void aClosedStoreRefusesWrites() throws Exception {
        JournalRouteStore store = openStore(tmp.resolve("state"));
        store.close();
        assertThatThrownBy(() -> store.put("/a", data("http://127.0.0.1:1", ""), 1, null).join())
                .hasCauseInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThat(store.health().writable()).isFalse();
    }

    @Test
    void aStateDirectoryThatIsAFileIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> JournalRouteStore.open(file, JournalOptions.defaults()))
                .isInstanceOf(StoreException.class)
                .hasMessage("Cannot use state directory " + file + ": it (or a parent) exists and is not a directory");
        assertThatThrownBy(() -> JournalRouteStore.open(file.resolve("below"), JournalOptions.defaults()))
                .hasMessage("Cannot create state directory " + file.resolve("below") + ": FileSystemException: "
                        + file.resolve("below") + ": Not a directory");
    }
}
