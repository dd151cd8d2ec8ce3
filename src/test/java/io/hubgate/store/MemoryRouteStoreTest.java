package io.hubgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The in-memory store and the change-feed contract every store follows (ordered, gap-detecting, resettable). */
class MemoryRouteStoreTest {

    static final String A = "{\"target\":\"http://127.0.0.1:1\"}";
    static final String B = "{\"target\":\"http://127.0.0.1:2\"}";

    @Test
    void writesGetConsecutiveVersionsAndTheFeedReplaysThemInOrder() throws Exception {
        MemoryRouteStore store = new MemoryRouteStore();
        String epoch = store.snapshot().epoch();
        assertThat(store.put("/a", A, 10, epoch).join()).isEqualTo(new WriteResult(1, true));
        assertThat(store.put("/b", B, 20, null).join()).isEqualTo(new WriteResult(2, true));
        assertThat(store.delete("/a", epoch).join()).isEqualTo(new WriteResult(3, true));
        assertThat(store.delete("/a", epoch).join()).isEqualTo(new WriteResult(3, false));
        assertThat(store.changesAfter(epoch, 0, Duration.ZERO)).isEqualTo(new ChangeBatch.Changes(List.of(
                RouteChange.put(1, "/a", A, 10), RouteChange.put(2, "/b", B, 20), RouteChange.delete(3, "/a")), 3));
        assertThat(store.changesAfter(epoch, 2, Duration.ZERO))
                .isEqualTo(new ChangeBatch.Changes(List.of(RouteChange.delete(3, "/a")), 3));
        assertThat(store.snapshot()).isEqualTo(new StoreSnapshot(epoch, 3, List.of(new StoredRoute("/b", B, 20))));
    }

    @Test
    void aFollowerTooFarBehindGetsAGapAndOneFromElsewhereAReset() throws Exception {
        MemoryRouteStore store = new MemoryRouteStore(4);
        String epoch = store.snapshot().epoch();
        for (int i = 0; i < 10; i++) {
            store.put("/r" + i, A, i, null).join();
        }
        assertThat(store.changesAfter(epoch, 5, Duration.ZERO)).isInstanceOf(ChangeBatch.Gap.class);
        assertThat(((ChangeBatch.Changes) store.changesAfter(epoch, 6, Duration.ZERO)).changes())
                .extracting(RouteChange::version).containsExactly(7L, 8L, 9L, 10L);
        assertThat(store.changesAfter(epoch, 11, Duration.ZERO)).isInstanceOf(ChangeBatch.Gap.class);
        assertThat(store.changesAfter("other", 10, Duration.ZERO)).isInstanceOf(ChangeBatch.Reset.class);
        assertThatThrownBy(() -> store.put("/x", A, 1, "other").join()).hasCauseInstanceOf(StaleEpochException.class);
    }

    @Test
    void theFeedWaitsForTheNextChange() throws Exception {
        MemoryRouteStore store = new MemoryRouteStore();
        String epoch = store.snapshot().epoch();
        assertThat(store.changesAfter(epoch, 0, Duration.ofMillis(20))).isEqualTo(new ChangeBatch.Changes(List.of(), 0));
        CompletableFuture<ChangeBatch> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return store.changesAfter(epoch, 0, Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        store.put("/a", A, 1, null).join();
        assertThat(waiting.get(10, TimeUnit.SECONDS))
                .isEqualTo(new ChangeBatch.Changes(List.of(RouteChange.put(1, "/a", A, 1)), 1));
    }

    @Test
    void activityIsAMaxMergeThatIsNotAChange() {
        MemoryRouteStore store = new MemoryRouteStore();
        store.put("/a", A, 100, null).join();
        store.mergeActivity(Map.of("/a", 500L, "/none", 900L)).join();
        store.mergeActivity(Map.of("/a", 300L)).join();
        assertThat(store.snapshot().routes()).containsExactly(new StoredRoute("/a", A, 500));
        assertThat(store.snapshot().version()).isEqualTo(1);
    }
}
