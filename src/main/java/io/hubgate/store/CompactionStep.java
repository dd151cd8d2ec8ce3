package io.hubgate.store;

/** The points of a journal compaction, in order; a {@link JournalOptions.CompactionHook} sees each one. */
public enum CompactionStep {
    /** About to write the temporary snapshot. */
    STARTED,
    /** Half of the routes are in the temporary snapshot (written, not yet fsynced). */
    SNAPSHOT_HALF_WRITTEN,
    /** The temporary snapshot is complete and fsynced, not yet renamed. */
    SNAPSHOT_SYNCED,
    /** The snapshot has replaced the old one (rename + directory fsync); the journal still holds its records. */
    SNAPSHOT_RENAMED,
    /** The journal has been cut back to its header and fsynced. */
    JOURNAL_CUT
}
