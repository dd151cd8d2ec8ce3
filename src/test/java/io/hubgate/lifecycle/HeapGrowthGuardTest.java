package io.hubgate.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The guard's arithmetic and its switch; {@link HeapGrowthIT} shows it at work in a real process. */
class HeapGrowthGuardTest {

    static final long MIB = 1024 * 1024;

    @AfterEach
    void clearProperty() {
        System.clearProperty(HeapGrowthGuard.FLOOR_PROPERTY);
    }

    @Test
    void nextCollectionIsDueOnceTheHeapHasDoubledWhatWasLive() {
        assertThat(HeapGrowthGuard.nextLimit(80 * MIB, 60 * MIB, 32 * MIB)).isEqualTo(120 * MIB);
    }

    @Test
    void headroomLeftCommittedByTheCollectionCountsTowardsTheDoubling() {
        // 20 MiB live in 40 MiB committed: doubling is already within reach, so only the minimum growth is added
        assertThat(HeapGrowthGuard.nextLimit(40 * MIB, 20 * MIB, 32 * MIB)).isEqualTo(40 * MIB + HeapGrowthGuard.MIN_GROWTH);
    }

    @Test
    void neverBelowTheFloor() {
        assertThat(HeapGrowthGuard.nextLimit(16 * MIB, 6 * MIB, 32 * MIB)).isEqualTo(32 * MIB);
    }

    @Test
    void aHeapOfLittleLiveDataStillGetsRoomToGrow() {
        // a tiny floor: without the minimum growth, a heap holding 1 MiB would be collected again after 1 MiB
        assertThat(HeapGrowthGuard.nextLimit(30 * MIB, MIB, MIB)).isEqualTo(30 * MIB + HeapGrowthGuard.MIN_GROWTH);
    }

    @Test
    void propertyInMibEnablesTheGuardWithThatFloor() {
        System.setProperty(HeapGrowthGuard.FLOOR_PROPERTY, "48");
        assertThat(HeapGrowthGuard.fromSystemProperty()).get()
                .extracting(HeapGrowthGuard::limit).isEqualTo(48 * MIB);
    }

    @Test
    void absentZeroOrInvalidPropertyMeansNoGuard() {
        assertThat(HeapGrowthGuard.fromSystemProperty()).isEmpty();
        for (String value : new String[] {"0", "", "32m", "-1", "lots"}) {
            System.setProperty(HeapGrowthGuard.FLOOR_PROPERTY, value);
            assertThat(HeapGrowthGuard.fromSystemProperty()).as(value).isEmpty();
        }
    }

    @Test
    void checkBelowTheLimitDoesNothing() {
        HeapGrowthGuard guard = new HeapGrowthGuard(Long.MAX_VALUE / 2);
        assertThat(guard.check()).isFalse();
        assertThat(guard.collections()).isZero();
    }

    @Test
    void checkAboveTheLimitCollectsAndRaisesTheLimitPastTheHeapItLeaves() {
        HeapGrowthGuard guard = new HeapGrowthGuard(1); // any heap is past a 1-byte floor
        assertThat(guard.check()).isTrue();
        assertThat(guard.collections()).isEqualTo(1);
        // the committed heap after the collection plus at least MIN_GROWTH
        assertThat(guard.limit()).isGreaterThan(HeapGrowthGuard.MIN_GROWTH);
        assertThat(guard.check()).as("right after a collection").isFalse();
    }

    @Test
    void floorMustBePositive() {
        assertThatThrownBy(() -> new HeapGrowthGuard(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
