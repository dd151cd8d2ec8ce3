package io.hubgate.store;

import java.util.List;

/** What {@link RouteStore#changesAfter} returns: changes in order, or a reason to take a new snapshot. */
public sealed interface ChangeBatch {

    /**
     * Every change after the version asked for up to {@code throughVersion}, in order (empty if none came in
     * time). Versions increase but need not be consecutive (etcd's revisions count other keys' writes too), so
     * {@code throughVersion} tells the follower how far it is now up to date even when nothing of its own
     * changed in between (etcd's progress notifications).
     */
    record Changes(List<RouteChange> changes, long throughVersion) implements ChangeBatch {
        public Changes {
            changes = List.copyOf(changes);
            long previous = Long.MIN_VALUE;
            for (RouteChange c : changes) {
                if (c.version() <= previous) {
                    throw new IllegalArgumentException("changes out of order: " + c.version() + " after " + previous);
                }
                previous = c.version();
            }
            if (!changes.isEmpty() && throughVersion < previous) {
                throw new IllegalArgumentException("throughVersion " + throughVersion + " before change " + previous);
            }
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
