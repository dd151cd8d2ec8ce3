package io.hubgate.store;

import java.io.IOException;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Tuning and test hooks of a {@link JournalRouteStore}.
 *
 * @param compactAfterRecords compact once the journal holds this many route changes, or as many as the table
 *                            has routes if that is more (replay at startup then costs at most about one table)
 * @param compactAfterBytes   compact once the journal is this large, or twice the last snapshot if that is more
 *                            (activity records count here)
 * @param retainedChanges     recent changes kept in memory for the change feed
 * @param compactionHook      called at each {@link CompactionStep} (tests crash the process there)
 * @param beforeSync          called on the writer thread before each write+fsync of a batch (tests)
 */
public record JournalOptions(int compactAfterRecords, long compactAfterBytes, int retainedChanges,
                             CompactionHook compactionHook, Runnable beforeSync) {

    /** System property: compaction threshold in route changes (tests use small values). */
    public static final String COMPACT_AFTER_RECORDS_PROPERTY = "hubgate.journal.compactAfterRecords";
    /** System property, test hook only: halt the process (exit code {@value #CRASH_EXIT_CODE}) at this step. */
    public static final String CRASH_PROPERTY = "hubgate.test.crashDuringCompaction";
    public static final int CRASH_EXIT_CODE = 86;

    /** Called at each step of a compaction, on the journal's writer thread. */
    @FunctionalInterface
    public interface CompactionHook {
        CompactionHook NONE = step -> { };

        void reached(CompactionStep step) throws IOException;
    }

    public static JournalOptions defaults() {
        return new JournalOptions(1000, 16L << 20, 4096, CompactionHook.NONE, () -> { });
    }

    /** The defaults, adjusted by the system properties above (read once, at startup). */
    public static JournalOptions fromSystemProperties() {
        JournalOptions options = defaults();
        String records = System.getProperty(COMPACT_AFTER_RECORDS_PROPERTY);
        if (records != null) {
            options = options.withCompactAfterRecords(Integer.parseInt(records.strip()));
        }
        String crashAt = System.getProperty(CRASH_PROPERTY);
        if (crashAt != null) {
            CompactionStep target = CompactionStep.valueOf(crashAt.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            options = options.withCompactionHook(step -> {
                if (step == target) {
                    LoggerFactory.getLogger("hubgate.store").error("Test hook {}: halting the process at compaction step {}",
                            CRASH_PROPERTY, step);
                    Runtime.getRuntime().halt(CRASH_EXIT_CODE);
                }
            });
        }
        return options;
    }

    public JournalOptions withCompactAfterRecords(int records) {
        return new JournalOptions(records, compactAfterBytes, retainedChanges, compactionHook, beforeSync);
    }

    public JournalOptions withCompactAfterBytes(long bytes) {
        return new JournalOptions(compactAfterRecords, bytes, retainedChanges, compactionHook, beforeSync);
    }

    public JournalOptions withRetainedChanges(int changes) {
        return new JournalOptions(compactAfterRecords, compactAfterBytes, changes, compactionHook, beforeSync);
    }

    public JournalOptions withCompactionHook(CompactionHook hook) {
        return new JournalOptions(compactAfterRecords, compactAfterBytes, retainedChanges, hook, beforeSync);
    }

    public JournalOptions withBeforeSync(Runnable hook) {
        return new JournalOptions(compactAfterRecords, compactAfterBytes, retainedChanges, compactionHook, hook);
    }
}
