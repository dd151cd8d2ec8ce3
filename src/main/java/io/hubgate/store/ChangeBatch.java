package io.hubgate.store;

import java.util.List;

/** What {@link RouteStore#changesAfter} returns: changes in order, or a reason to take a new snapshot. */
public sealed interface ChangeBatch {

    /** Consecutive changes, the first one right after the version asked for; empty if none came in time. */
    record Changes(List<RouteChange> changes) implements ChangeBatch {
        public Changes {
            changes = List.copyOf(changes);
        }
    }

    /**
     * The changes after the version asked for are no longer (or not yet) available: trimmed history, a
     * compacted log, a follower ahead of the store. Same epoch; the follower resynchronises from a snapshot.
     */
    record Gap(String reason) implements ChangeBatch {
    }

    /** The store's data started over under a new epoch; the follower resynchronises from a snapshot. */
    record Reset(String epoch, String reason) implements ChangeBatch {
    }
}
