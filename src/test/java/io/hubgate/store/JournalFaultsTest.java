package io.hubgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal on a file system that refuses writes: a read-only state directory and a full disk, both real
 * (tmpfs mounts; skipped where mounting is not permitted, except the permission case for non-root users).
 */
class JournalFaultsTest {

    @TempDir
    Path tmp;

    static String data(int i, int padding) {
        return "{\"target\":\"http://127.0.0.1:" + (1000 + i) + "\",\"pad\":\"" + "p".repeat(padding) + "\"}";
    }

    @Test
    void aReadOnlyStateDirectoryIsAStartupError() throws Exception {
        if (Tmpfs.runningAsRoot()) {
            try (Tmpfs ro = Tmpfs.mount(tmp.resolve("ro"), "ro,size=64k")) {
                assumeTrue(ro != null, "cannot mount a tmpfs here");
                assertRefused(ro.dir(), ro.dir().resolve("lock"));
                assertRefused(ro.dir().resolve("state"), ro.dir().resolve("state"));
            }
        } else {
            Path dir = Files.createDirectories(tmp.resolve("ro"));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
            assertRefused(dir, dir.resolve("lock"));
        }
    }

    static void assertRefused(Path stateDir, Path named) {
        assertThatThrownBy(() -> JournalRouteStore.open(stateDir, JournalOptions.defaults()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(named.toString())
                .hasMessageMatching("(?s).*(not writable|Cannot create state directory).*Read-only file system.*"
                        + "|(?s).*not writable.*Permission denied.*|(?s).*AccessDenied.*");
    }

    @Test
    void aFullDiskRefusesWritesCleanlyAndRecoversWhenSpaceReturns() throws Exception {
        assumeTrue(Tmpfs.runningAsRoot(), "mounting a tmpfs needs root");
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("small"), "size=64k")) {
            assumeTrue(disk != null, "cannot mount a tmpfs here");
            Path filler = Files.write(disk.dir().resolve("filler"), new byte[16 * 1024]);
            Path dir = disk.dir().resolve("state");
            List<String> acknowledged = new ArrayList<>();
            StoreException refused = null;
            try (JournalRouteStore store = JournalRouteStore.open(dir, JournalOptions.defaults())) {
                for (int i = 0; i < 200 && refused == null; i++) {
                    try {
                        store.put("/r" + i, data(i, 1500), i, null).join();
                        acknowledged.add("/r" + i);
                    } catch (CompletionException e) {
                        refused = (StoreException) e.getCause();
                    }
                }
                assertThat(refused).as("the disk filled up").isNotNull();
                assertThat(refused).hasMessageContaining("Cannot write journal " + dir.resolve("routes.journal"))
                        .hasMessageContaining("No space left on device");
                assertThat(store.health().writable()).isFalse();
                assertThat(store.health().detail()).contains("No space left on device");
                // the refused write changed nothing, and nothing partial is left in the file
                assertThat(store.snapshot().routes()).extracting(StoredRoute::path).containsExactlyElementsOf(acknowledged);
                assertThatThrownBy(() -> store.put("/still-full", data(0, 1500), 0, null).join())
                        .hasCauseInstanceOf(StoreException.class);

                Files.delete(filler);
                store.put("/after", data(1, 10), 1, null).join();
                acknowledged.add("/after");
                assertThat(store.health().writable()).isTrue();
                assertThat(store.snapshot().version()).isEqualTo(acknowledged.size());
            }
            try (JournalRouteStore reopened = JournalRouteStore.open(dir, JournalOptions.defaults())) {
                assertThat(reopened.snapshot().routes()).extracting(StoredRoute::path)
                        .containsExactlyElementsOf(acknowledged);
            }
        }
    }

    @Test
    void aCompactionThatDoesNotFitFailsWithoutHarm() throws Exception {
        assumeTrue(Tmpfs.runningAsRoot(), "mounting a tmpfs needs root");
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("small"), "size=64k")) {
            assumeTrue(disk != null, "cannot mount a tmpfs here");
            Path dir = disk.dir().resolve("state");
            List<String> paths = new ArrayList<>();
            try (JournalRouteStore store = JournalRouteStore.open(dir, JournalOptions.defaults())) {
                // fill most of the disk with the journal, then ask for a snapshot that needs as much again
                for (int i = 0; i < 200; i++) {
                    try {
                        store.put("/r" + i, data(i, 1500), i, null).join();
                        paths.add("/r" + i);
                    } catch (CompletionException e) {
                        break;
                    }
                }
                store.delete(paths.remove(paths.size() - 1), null).join(); // room for a few more records
                store.compactNow().join();
                assertThat(store.compactionCount()).isZero();
                assertThat(Files.exists(dir.resolve(JournalFormat.SNAPSHOT_TEMP))).isFalse();
                store.put("/after", data(1, 10), 1, null).join();
                paths.add("/after");
            }
            try (JournalRouteStore reopened = JournalRouteStore.open(dir, JournalOptions.defaults())) {
                assertThat(reopened.snapshot().routes()).extracting(StoredRoute::path).containsExactlyElementsOf(paths);
            }
        }
    }
}
