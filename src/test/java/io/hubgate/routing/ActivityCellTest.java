package io.hubgate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ActivityCellTest {

    @Test
    void touchMovesForwardOnly() {
        ActivityCell cell = new ActivityCell(100);
        assertThat(cell.millis()).isEqualTo(100);
        assertThat(cell.touch(100)).isFalse();
        assertThat(cell.touch(99)).isFalse();
        assertThat(cell.millis()).isEqualTo(100);
        assertThat(cell.touch(101)).isTrue();
        assertThat(cell.millis()).isEqualTo(101);
    }

    @Test
    void setMovesEitherWay() {
        ActivityCell cell = new ActivityCell(100);
        cell.set(50);
        assertThat(cell.millis()).isEqualTo(50);
        cell.set(70);
        assertThat(cell.millis()).isEqualTo(70);
    }

    @Test
    void mergeMaxMovesForwardOnly() {
        ActivityCell cell = new ActivityCell(100);
        cell.mergeMax(90);
        assertThat(cell.millis()).isEqualTo(100);
        cell.mergeMax(150);
        assertThat(cell.millis()).isEqualTo(150);
    }

    /**
     * Touches from several event loops and merges from the control plane race; the value seen by the culler must
     * never go backwards, and must end at the largest value written.
     */
    @Test
    void concurrentTouchesAndMergesNeverMoveBackwards() throws Exception {
        ActivityCell cell = new ActivityCell(0);
        AtomicLong clock = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        int writers = 4;
        CountDownLatch done = new CountDownLatch(writers);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            boolean merger = w == 0;
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 200_000 && System.nanoTime() < deadline; i++) {
                        long now = clock.incrementAndGet();
                        if (merger) {
                            cell.mergeMax(now);
                        } else {
                            cell.touch(now);
                        }
                    }
                } finally {
                    done.countDown();
                }
            }));
        }
        Thread reader = new Thread(() -> {
            long last = 0;
            while (!stop.get()) {
                long seen = cell.millis();
                if (seen < last) {
                    failure.compareAndSet(null, "went back from " + last + " to " + seen);
                }
                last = seen;
            }
        });
        reader.start();
        threads.forEach(Thread::start);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        stop.set(true);
        reader.join(5_000);
        assertThat(failure.get()).isNull();
        assertThat(cell.millis()).isEqualTo(clock.get());
    }
}
