package io.hubgate.lifecycle;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the whole heap when it has grown to about twice what was live after the previous collection.
 *
 * <p>Why: the launcher runs the JVM with the serial collector, and on current JDKs that collector grows the
 * old generation to make room for every promotion instead of collecting it, until the heap reaches
 * {@code -Xmx}. A proxy promotes a steady trickle of garbage: the state of every keep-alive connection
 * and of every route that lived through a few young collections. Measured: 256 fresh keep-alive connections
 * for 2 s each left about 0.9 MiB behind in the old generation, and 10,000 routes added, deleted and
 * added again grew the heap from 16 to 50 MiB, in both cases without one full collection. Over days of
 * JupyterHub traffic the process would creep towards a 256 MiB heap of garbage. This is the rule of Go's
 * collector ({@code GOGC=100}): the heap may double what was live, never below a floor, before a full
 * collection is due.
 *
 * <p>The check is two reads of {@link Runtime}, once a second on one event loop; the collection itself is
 * a stop-the-world pause (measured: 20-35 ms with 6-17 MB live on one core), and happens only after such
 * growth.
 * Enabled by the system property {@value #FLOOR_PROPERTY} (the floor in MiB), which the launcher sets
 * together with the serial collector; other collectors manage their old generation themselves.
 */
final class HeapGrowthGuard {

    static final String FLOOR_PROPERTY = "hubgate.heapGuardMiB";
    private static final long MIB = 1024 * 1024;
    /** Growth always allowed past the last collection, so that a heap full of live data is not collected again at once. */
    static final long MIN_GROWTH = 8 * MIB;
    private static final Duration PERIOD = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger("hubgate.heap");

    private final long floor;
    private final Runtime runtime = Runtime.getRuntime();
    private long limit;
    private long collections;
    private ScheduledFuture<?> task;

    HeapGrowthGuard(long floorBytes) {
        if (floorBytes <= 0) {
            throw new IllegalArgumentException("floor must be positive: " + floorBytes);
        }
        this.floor = floorBytes;
        this.limit = floorBytes;
    }

    /** The guard the {@value #FLOOR_PROPERTY} property asks for: empty when it is absent or 0. */
    static Optional<HeapGrowthGuard> fromSystemProperty() {
        String value = System.getProperty(FLOOR_PROPERTY);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        long mib;
        try {
            mib = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            log.warn("Ignoring -D{}={}: not a whole number of MiB", FLOOR_PROPERTY, value);
            return Optional.empty();
        }
        if (mib < 0) {
            log.warn("Ignoring -D{}={}: negative", FLOOR_PROPERTY, value);
            return Optional.empty();
        }
        return mib == 0 ? Optional.empty() : Optional.of(new HeapGrowthGuard(mib * MIB));
    }

    /**
     * The committed heap size above which the next full collection is due, given the heap right after one:
     * twice what was live, but at least {@link #MIN_GROWTH} above what the collection left committed (the
     * serial collector keeps up to {@code -XX:MaxHeapFreeRatio} of the old generation free after a full
     * collection, 20 % with the launcher's options, so that headroom already counts towards the doubling), and
     * never below the floor.
     */
    static long nextLimit(long committedAfter, long usedAfter, long floor) {
        return Math.max(floor, Math.max(committedAfter + MIN_GROWTH, 2 * usedAfter));
    }

    void start(EventExecutor executor) {
        task = executor.scheduleWithFixedDelay(this::check, PERIOD.toMillis(), PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    long limit() {
        return limit;
    }

    long collections() {
        return collections;
    }

    /** Runs a full collection if the committed heap has passed the limit; returns whether it did. */
    boolean check() {
        long committed = runtime.totalMemory();
        if (committed <= limit) {
            return false;
        }
        long started = System.nanoTime();
        System.gc();
        long tookMicros = (System.nanoTime() - started) / 1000;
        long committedAfter = runtime.totalMemory();
        long usedAfter = committedAfter - runtime.freeMemory();
        limit = nextLimit(committedAfter, usedAfter, floor);
        collections++;
        log.debug("Heap grew to {} MiB committed: full collection in {} us, {} MiB live, {} MiB committed after;"
                        + " next one above {} MiB", committed / MIB, tookMicros, usedAfter / MIB,
                committedAfter / MIB, limit / MIB);
        return true;
    }
}
