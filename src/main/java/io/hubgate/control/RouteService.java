package io.hubgate.control;

import io.hubgate.json.Json;
import io.hubgate.json.JsonValue;
import io.hubgate.routing.RouteTable;
import io.hubgate.store.RouteStore;
import io.hubgate.store.StoreException;
import io.hubgate.store.StoreHealth;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane: route changes go to the {@link RouteStore}; the {@link RouteApplier} turns what the
 * store accepted into new {@link RouteTable} states; a write's future completes only once the table includes
 * it (read-your-writes). {@code last_activity}, tracked by the data plane in memory, is written to the store
 * every flush interval and once more at {@link #close()}, never per request.
 */
public final class RouteService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("hubgate.routes");
    /** A write the store accepted must be in the table within this time, or the API answers 503. */
    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FINAL_FLUSH_TIMEOUT = Duration.ofSeconds(10);

    private final RouteTable table;
    private final RouteStore store;
    private final boolean hostRouting;
    private final Duration flushInterval;
    private final RouteApplier applier;
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hubgate-activity");
        t.setDaemon(true);
        return t;
    });
    /** Activity values the store has, as far as we know; touched by one flush at a time. */
    private Map<String, Long> flushed = new HashMap<>();
    private boolean flushFailing;
    private volatile boolean closed;

    public RouteService(RouteTable table, RouteStore store, boolean hostRouting,
                        Duration activityFlushInterval) {
        this.table = table;
        this.store = store;
        this.hostRouting = hostRouting;
        this.flushInterval = activityFlushInterval;
        this.applier = new RouteApplier(store, table, new RouteFactory());
    }

    public RouteTable table() {
        return table;
    }

    public StoreHealth storeHealth() {
        return store.health();
    }

    /** Human-readable name of the store, for logs. */
    public String storeName() {
        return store.describe();
    }

    /**
     * Loads the table from the store and starts following it and flushing activity. Returns how many routes
     * the store had (a restart with a journal serves them before the hub re-adds anything).
     */
    public int start() throws StoreException {
        int loaded = applier.start();
        Map<String, Long> known = new HashMap<>();
        table.forEach(route -> known.put(route.path(), route.activity().millis()));
        synchronized (this) {
            flushed = known;
        }
        long every = flushInterval.toMillis();
        flusher.scheduleWithFixedDelay(this::flushQuietly, every, every, TimeUnit.MILLISECONDS);
        return loaded;
    }

    /**
     * Adds or replaces the route at {@code path} (already normalised). {@code data} must be an object with a valid
     * string {@code target} (the API checks it). {@code last_activity} is set to now, as CHP does. Completes
     * with the store version of the change once the table includes it; fails with {@link StoreFailure}.
     */
    public CompletableFuture<Long> put(String path, JsonValue data) {
        if (hostRouting && !path.equals("/")) {
            String first = path.substring(1);
            int slash = first.indexOf('/');
            data.put("host", JsonValue.string(slash >= 0 ? first.substring(0, slash) : first));
        }
        String dataJson = Json.write(data);
        long now = System.currentTimeMillis();
        return whenApplied(store.put(path, dataJson, now, applier.epoch()), r -> r.version());
    }

    /** Removes the route at {@code path}; completes with whether there was one, once the table agrees. */
    public CompletableFuture<Boolean> delete(String path) {
        return whenApplied(store.delete(path, applier.epoch()), r -> r.changed());
    }

    private <T> CompletableFuture<T> whenApplied(CompletableFuture<io.hubgate.store.WriteResult> write,
                                                 Function<io.hubgate.store.WriteResult, T> answer) {
        CompletableFuture<T> result = new CompletableFuture<>();
        write.whenComplete((r, err) -> {
            if (err != null) {
                result.completeExceptionally(new StoreFailure(unwrap(err)));
                return;
            }
            applier.awaitApplied(r.version()).orTimeout(APPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((ok, late) -> {
                        if (late == null) {
                            result.complete(answer.apply(r));
                        } else if (unwrap(late) instanceof TimeoutException) {
                            result.completeExceptionally(new StoreFailure(new StoreException("the change was stored "
                                    + "at version " + r.version() + " but not applied within "
                                    + APPLY_TIMEOUT.toSeconds() + " s")));
                        } else {
                            result.completeExceptionally(new StoreFailure(unwrap(late)));
                        }
                    });
        });
        return result;
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /**
     * Writes the activity values that moved since the last flush to the store (one batched max-merge).
     * Completes when the store has them.
     */
    public CompletableFuture<Void> flushActivity() {
        Map<String, Long> current = new HashMap<>(Math.max(16, table.size() * 4 / 3));
        Map<String, Long> moved = new LinkedHashMap<>();
        synchronized (this) {
            Map<String, Long> before = flushed;
            table.forEach(route -> {
                long millis = route.activity().millis();
                current.put(route.path(), millis);
                Long known = before.get(route.path());
                if (known == null || millis > known) {
                    moved.put(route.path(), millis);
                }
            });
        }
        if (moved.isEmpty()) {
            synchronized (this) {
                flushed = current;
            }
            return CompletableFuture.completedFuture(null);
        }
        return store.mergeActivity(moved).thenRun(() -> {
            synchronized (this) {
                flushed = current;
            }
        });
    }

    private void flushQuietly() {
        try {
            flushActivity().get(flushInterval.toMillis() + FINAL_FLUSH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (flushFailing) {
                log.info("Activity flush to the route store works again");
                flushFailing = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            if (!flushFailing) {
                log.warn("Cannot write last_activity to the route store ({}); keeping it in memory and retrying "
                        + "every {} ms", describe(e), flushInterval.toMillis());
                flushFailing = true;
            }
        }
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    /** Flushes activity one last time, stops following the store and closes it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        flusher.shutdown();
        try {
            if (flusher.awaitTermination(FINAL_FLUSH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                flushActivity().get(FINAL_FLUSH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.warn("Cannot write last_activity to the route store at shutdown: {}", describe(e));
        }
        applier.close();
        store.close();
    }

    /** A store failure surfaced through a future (the API answers 503). */
    public static final class StoreFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StoreFailure(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
