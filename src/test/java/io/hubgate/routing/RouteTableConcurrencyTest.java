package io.hubgate.routing;

import static io.hubgate.routing.TestRoutes.keyed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The data plane reads the table without locks while the control plane writes it (one writer). Every loop here
 * is bounded by an iteration count and a deadline; readers stop when the writer is done.
 */
class RouteTableConcurrencyTest {

    static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * {@code replaceAll} swaps the whole table at once: a reader never sees a table in the middle of being
     * rebuilt, so a key present before and after is always found.
     */
    @Test
    void replaceAllIsAtomicForReaders() throws Exception {
        List<String> stable = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            stable.add("/user/k" + i);
        }
        List<Route> tableA = new ArrayList<>();
        List<Route> tableB = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            tableA.add(keyed("/a/only" + i));
            tableB.add(keyed("/b/only" + i));
        }
        for (String key : stable) {
            // In different positions in the two lists, so a half-built table would miss some of them.
            tableA.add(keyed(key));
            tableB.add(0, keyed(key));
            tableB.add(keyed(key + "/deeper"));
        }
        RouteTable table = new RouteTable();
        table.replaceAll(tableA, 0);

        long deadline = System.nanoTime() + DEADLINE_NANOS;
        AtomicBoolean writerDone = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong lookups = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            int offset = r * 25;
            readers.add(new Thread(() -> {
                int i = offset;
                while (!writerDone.get() && System.nanoTime() < deadline && failure.get() == null) {
                    String key = stable.get(i++ % stable.size());
                    Route found = table.lookup(key + "/tree/x");
                    if (found == null || !found.path().equals(key)) {
                        failure.compareAndSet(null, key + "/tree/x resolved to " + found);
                    }
                    lookups.incrementAndGet();
                }
            }, "reader-" + r));
        }
        readers.forEach(Thread::start);
        try {
            for (int n = 0; n < 2_000 && System.nanoTime() < deadline && failure.get() == null; n++) {
                table.replaceAll(n % 2 == 0 ? tableB : tableA, n + 1);
            }
        } finally {
            writerDone.set(true);
            for (Thread t : readers) {
                t.join(TimeUnit.NANOSECONDS.toMillis(DEADLINE_NANOS));
            }
        }
        assertThat(failure.get()).isNull();
        assertThat(lookups.get()).isPositive();
        for (String key : stable) {
            assertThat(table.lookup(key).path()).isEqualTo(key);
        }
    }

    /**
     * Puts and removes of other keys — siblings, children of the stable keys and of their intermediate nodes,
     * which get created and pruned all the time — never make a stable key unresolvable.
     */
    @Test
    void untouchedKeysAlwaysResolveDuringPutsAndRemovesOfOthers() throws Exception {
        List<String> stable = List.of("/user/alice", "/user/bob", "/s/a/b/c", "/deep/1/2/3/4/5", "/x");
        RouteTable table = new RouteTable();
        long version = 0;
        for (String key : stable) {
            table.put(keyed(key), ++version);
        }

        long deadline = System.nanoTime() + DEADLINE_NANOS;
        AtomicBoolean writerDone = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong lookups = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            int offset = r;
            readers.add(new Thread(() -> {
                int i = offset;
                while (!writerDone.get() && System.nanoTime() < deadline && failure.get() == null) {
                    String key = stable.get(i++ % stable.size());
                    check(table, key, key, failure);
                    check(table, key + "/lab/tree", key, failure);
                    // Below a stable key, churned children may or may not be there; the stable key is the floor.
                    Route below = table.lookup(key + "/sub" + (i % 8) + "/more");
                    if (below == null || !below.path().startsWith(key)) {
                        failure.compareAndSet(null, key + "/sub…/more resolved to " + below);
                    }
                    lookups.incrementAndGet();
                }
            }, "reader-" + r));
        }
        readers.forEach(Thread::start);
        List<List<Route>> churns = new ArrayList<>();
        for (int n = 0; n < 16; n++) {
            churns.add(List.of(
                    keyed("/user/tmp" + n),
                    keyed("/user/alice/sub" + (n % 8)),
                    keyed("/s/a/b/c/sub" + (n % 8) + "/leaf"),
                    keyed("/s/a/x" + (n % 4)),
                    keyed("/s/a/b/y"),
                    keyed("/s"),
                    keyed("/deep/1/2/3"),
                    keyed("/deep/1/2/3/4/5/sub" + (n % 8)),
                    keyed("/x/sub" + (n % 8))));
        }
        try {
            for (int n = 0; n < 10_000 && System.nanoTime() < deadline && failure.get() == null; n++) {
                List<Route> churn = churns.get(n % churns.size());
                for (Route route : churn) {
                    table.put(route, ++version);
                }
                for (Route route : churn) {
                    table.remove(route.path(), ++version);
                }
            }
        } finally {
            writerDone.set(true);
            for (Thread t : readers) {
                t.join(TimeUnit.NANOSECONDS.toMillis(DEADLINE_NANOS));
            }
        }
        assertThat(failure.get()).isNull();
        assertThat(lookups.get()).isPositive();
        assertThat(table.size()).isEqualTo(stable.size());
        assertThat(table.lookup("/user/tmp3")).isNull();
        assertThat(table.lookup("/s/a")).isNull();
    }

    private static void check(RouteTable table, String path, String expected, AtomicReference<String> failure) {
        Route found = table.lookup(path);
        if (found == null || !found.path().equals(expected)) {
            failure.compareAndSet(null, path + " resolved to " + found + ", expected " + expected);
        }
    }
}
