package io.hubgate.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node durable store ({@code --storage-backend file:///state/dir}, design: ha.md §4.2): a
 * JSON-lines journal of checksummed records, compacted into a snapshot now and then, under an exclusive
 * file lock. See {@link JournalFormat} for the files and docs/durability.md for the rules.
 *
 * <p>One writer thread owns the files. Writes queue up while it is busy; it takes everything queued, appends
 * it with one write, makes it durable with one {@code force(true)} (group commit) and only then applies it to
 * the in-memory table, which feeds the applier, and completes the writers' futures. A write that fails
 * (a full disk) is cut off the file again, so the journal never keeps a partial record in front of later
 * ones; the writers get a {@link StoreException} and the table stays as it was.
 */
public final class JournalRouteStore implements RouteStore {

    private static final Logger log = LoggerFactory.getLogger("hubgate.store");
    private static final int MAX_BATCH = 512;
    private static final Duration COMPACTION_RETRY = Duration.ofSeconds(60);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final Path journalFile;
    private final Path snapshotFile;
    private final Path tempFile;
    private final JournalOptions options;
    private final LocalRouteState state;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final FileChannel journal;
    private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong changesWritten = new AtomicLong();
    private final AtomicLong compactions = new AtomicLong();
    private volatile boolean closing;
    private volatile StoreHealth health;

    // writer thread only
    private final long headerLength;
    private long journalLength;
    private long recordsSinceSnapshot;
    private long snapshotBytes;
    private long nextCompactionAttemptNanos;
    private String broken;

    private JournalRouteStore(Path dir, JournalOptions options, LocalRouteState state, FileChannel lockChannel,
                              FileLock lock, FileChannel journal, long headerLength, long journalLength,
                              long recordsSinceSnapshot, long snapshotBytes) {
        this.dir = dir;
        this.journalFile = dir.resolve(JournalFormat.JOURNAL);
        this.snapshotFile = dir.resolve(JournalFormat.SNAPSHOT);
        this.tempFile = dir.resolve(JournalFormat.SNAPSHOT_TEMP);
        this.options = options;
        this.state = state;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.journal = journal;
        this.headerLength = headerLength;
        this.journalLength = journalLength;
        this.recordsSinceSnapshot = recordsSinceSnapshot;
        this.snapshotBytes = snapshotBytes;
        this.health = StoreHealth.ok(describe());
        this.writer = new Thread(this::runWriter, "hubgate-journal");
        this.writer.setDaemon(true);
    }

    /**
     * Opens (or creates) the state directory: takes its lock, reads the snapshot and the journal, cuts off a
     * torn last write, and starts the writer thread.
     *
     * @throws StoreException with an operator-readable message if the directory cannot be used: not
     *         writable, locked by another Hubgate, corrupt, or written by a newer format. Nothing in the
     *         directory has been changed then (apart from the lock file).
     */
    public static JournalRouteStore open(Path dir, JournalOptions options) throws StoreException {
        Path stateDir = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(stateDir);
        } catch (FileAlreadyExistsException | NotDirectoryException e) {
            throw new StoreException("Cannot use state directory " + stateDir + ": it (or a parent) exists and is "
                    + "not a directory", e);
        } catch (IOException e) {
            throw new StoreException("Cannot create state directory " + stateDir + ": "
                    + JournalRecovery.describe(e), e);
        }
        if (!Files.isDirectory(stateDir)) {
            throw new StoreException("Cannot use state directory " + stateDir + ": it is not a directory");
        }
        Path lockFile = stateDir.resolve(JournalFormat.LOCK);
        FileChannel lockChannel;
        try {
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StoreException("State directory " + stateDir + " is not writable (cannot open " + lockFile
                    + ": " + JournalRecovery.describe(e) + ")", e);
        }
        FileChannel journal = null;
        try {
            FileLock lock = takeLock(stateDir, lockFile, lockChannel);
            long started = System.nanoTime();
            JournalRecovery.Recovered found = new JournalRecovery(stateDir).recover();
            // only now that the state is known to be readable: change nothing before that
            Path temp = stateDir.resolve(JournalFormat.SNAPSHOT_TEMP);
            if (Files.deleteIfExists(temp)) {
                log.warn("Removed {}: a compaction was interrupted before it finished (the snapshot and journal "
                        + "it would have replaced are intact)", temp);
            }
            String epoch = found.epoch() != null ? found.epoch() : UUID.randomUUID().toString();
            Path journalFile = stateDir.resolve(JournalFormat.JOURNAL);
            try {
                journal = FileChannel.open(journalFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new StoreException("State directory " + stateDir + " is not writable (cannot open "
                        + journalFile + ": " + JournalRecovery.describe(e) + ")", e);
            }
            long headerLength;
            long journalLength;
            if (found.journalGoodLength() == 0) {
                byte[] header = JournalFormat.journalHeader(epoch);
                journal.truncate(0);
                writeFully(journal, ByteBuffer.wrap(header), 0);
                journal.force(true);
                syncDirectory(stateDir);
                headerLength = header.length;
                journalLength = header.length;
                if (found.journalExists() && found.tornBytes() > 0) {
                    log.warn("Journal {} held only an interrupted first write ({} bytes): started it again",
                            journalFile, found.tornBytes());
                }
            } else {
                headerLength = found.journalHeaderLength();
                journalLength = found.journalGoodLength();
                if (found.tornBytes() > 0) {
                    journal.truncate(journalLength);
                    journal.force(true);
                    log.warn("Journal {} ended with an interrupted write: dropped the last {} line(s), {} bytes from "
                            + "byte {} (never acknowledged: a write is answered only after its fsync)", journalFile,
                            found.tornLines(), found.tornBytes(), journalLength);
                }
            }
            LocalRouteState state = new LocalRouteState(epoch, options.retainedChanges());
            state.restore(found.routes(), found.version());
            JournalRouteStore store = new JournalRouteStore(stateDir, options, state, lockChannel, lock, journal,
                    headerLength, journalLength, found.journalRouteRecords(), found.snapshotBytes());
            log.info("Journal in {}: {} routes at version {} (snapshot at version {}, then {} journal records), "
                    + "read in {} ms", stateDir, found.routes().size(), found.version(), found.snapshotVersion(),
                    found.journalRouteRecords() + found.journalActivityRecords(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            store.writer.start();
            return store;
        } catch (StoreException e) {
            closeQuietly(journal);
            closeQuietly(lockChannel); // releases the lock
            throw e;
        } catch (IOException e) {
            closeQuietly(journal);
            closeQuietly(lockChannel);
            throw new StoreException("Cannot open the journal in " + stateDir + ": " + JournalRecovery.describe(e), e);
        }
    }

    /** Takes the directory's lock or explains who holds it; writes our pid into the lock file. */
    private static FileLock takeLock(Path stateDir, Path lockFile, FileChannel channel) throws IOException, StoreException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very process (another store object)
        }
        if (lock == null) {
            String holder;
            try {
                holder = Files.readString(lockFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                holder = "";
            }
            throw new StoreException("State directory " + stateDir + " is in use by another Hubgate process"
                    + (holder.isEmpty() ? "" : " (pid " + holder + ")") + ": it holds the lock on " + lockFile
                    + ". Only one Hubgate may use a journal; stop the other one or give this one its own "
                    + "--storage-backend directory.");
        }
        channel.truncate(0);
        writeFully(channel, ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        return lock;
    }

    // ------------------------------------------------------------------------------------------- the SPI

    @Override
    public StoreSnapshot snapshot() {
        return state.snapshot();
    }

    @Override
    public ChangeBatch changesAfter(String epoch, long afterVersion, Duration maxWait) throws InterruptedException {
        return state.changesAfter(epoch, afterVersion, maxWait);
    }

    @Override
    public CompletableFuture<WriteResult> put(String path, String dataJson, long activityMillis, String expectedEpoch) {
        return submit(new Op(OpKind.PUT, path, dataJson, activityMillis, expectedEpoch, null));
    }

    @Override
    public CompletableFuture<WriteResult> delete(String path, String expectedEpoch) {
        return submit(new Op(OpKind.DELETE, path, null, 0, expectedEpoch, null));
    }

    @Override
    public CompletableFuture<Void> mergeActivity(Map<String, Long> lastActivityMillis) {
        if (lastActivityMillis.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return submit(new Op(OpKind.ACTIVITY, null, null, 0, null, new HashMap<>(lastActivityMillis)))
                .thenApply(r -> null);
    }

    /** Compacts now, whatever the thresholds say (tests, benchmark). */
    public CompletableFuture<Void> compactNow() {
        return submit(new Op(OpKind.COMPACT, null, null, 0, null, null)).thenApply(r -> null);
    }

    @Override
    public StoreHealth health() {
        return health;
    }

    @Override
    public String describe() {
        return "journal in " + dir;
    }

    /** Write+fsync rounds so far; with group commit, fewer than the writes when writers overlap. */
    public long syncCount() {
        return syncs.get();
    }

    /** Completed compactions since this store was opened. */
    public long compactionCount() {
        return compactions.get();
    }

    /** Finishes what is queued, stops the writer, closes the files and releases the lock. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        queue.add(Op.STOP);
        try {
            writer.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            log.error("The journal writer did not finish within {} s; closing the journal anyway",
                    CLOSE_TIMEOUT.toSeconds());
        }
        failQueued(new StoreException("the journal is closed"));
        closeQuietly(journal);
        closeQuietly(lock::release);
        closeQuietly(lockChannel);
        health = StoreHealth.failing("closed");
        log.info("Journal in {} closed: {} route changes written in {} fsyncs, {} compactions", dir,
                changesWritten.get(), syncs.get(), compactions.get());
    }

    private CompletableFuture<WriteResult> submit(Op op) {
        if (closing) {
            return CompletableFuture.failedFuture(new StoreException("the journal is closed"));
        }
        queue.add(op);
        if (closing) {
            failQueued(new StoreException("the journal is closed")); // raced with close(): never left hanging
        }
        return op.future;
    }

    private void failQueued(StoreException e) {
        if (writer.isAlive()) {
            return;
        }
        Op op;
        while ((op = queue.poll()) != null) {
            op.future.completeExceptionally(e);
        }
    }

    // ------------------------------------------------------------------------------------- writer thread

    private enum OpKind { PUT, DELETE, ACTIVITY, COMPACT, STOP }

    /** A queued request; its future completes once the write is durable (or failed). */
    private static final class Op {
        static final Op STOP = new Op(OpKind.STOP, null, null, 0, null, null);

        final OpKind kind;
        final String path;
        final String dataJson;
        final long activityMillis;
        final String expectedEpoch;
        final Map<String, Long> activity;
        final CompletableFuture<WriteResult> future = new CompletableFuture<>();
        WriteResult result;

        Op(OpKind kind, String path, String dataJson, long activityMillis, String expectedEpoch,
           Map<String, Long> activity) {
            this.kind = kind;
            this.path = path;
            this.dataJson = dataJson;
            this.activityMillis = activityMillis;
            this.expectedEpoch = expectedEpoch;
            this.activity = activity;
        }
    }

    /** A byte buffer that hands out its array without copying. */
    private static final class Batch extends ByteArrayOutputStream {
        Batch() {
            super(8192);
        }

        ByteBuffer buffer() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    private void runWriter() {
        List<Op> batch = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread; close() sends STOP
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            int stopAt = batch.indexOf(Op.STOP);
            if (stopAt >= 0) {
                stop = true;
                List<Op> late = batch.subList(stopAt, batch.size()); // STOP, and writers that raced with close()
                for (Op op : late) {
                    op.future.completeExceptionally(new StoreException("the journal is closed"));
                }
                late.clear();
            }
            try {
                List<Op> compactRequests = writeBatch(batch);
                maybeCompact(!compactRequests.isEmpty());
                for (Op op : compactRequests) {
                    op.future.complete(op.result); // after the compaction, so that a caller can look at the files
                }
            } catch (RuntimeException | Error e) {
                log.error("Journal writer failed: {}", e.toString(), e);
                for (Op op : batch) {
                    op.future.completeExceptionally(new StoreException("journal writer failed: " + e, e));
                }
                if (e instanceof Error error) {
                    throw error;
                }
            }
            batch.clear();
        }
    }

    /**
     * Writes one group of requests with one write and one fsync and completes them; returns the compaction
     * requests among them, still to be completed.
     */
    private List<Op> writeBatch(List<Op> batch) {
        Batch bytes = new Batch();
        List<RouteChange> staged = new ArrayList<>();
        Map<String, Boolean> present = new HashMap<>(); // existence after the staged changes
        Map<String, Long> activity = new LinkedHashMap<>();
        List<Op> done = new ArrayList<>(batch.size());
        List<Op> compact = new ArrayList<>(0);
        long version = state.version();
        for (Op op : batch) {
            if (broken != null) {
                op.future.completeExceptionally(new StoreException(broken));
                continue;
            }
            if (op.expectedEpoch != null && !op.expectedEpoch.equals(state.epoch())) {
                op.future.completeExceptionally(new StaleEpochException("store epoch is " + state.epoch()
                        + ", writer expected " + op.expectedEpoch));
                continue;
            }
            switch (op.kind) {
                case PUT -> {
                    RouteChange change = RouteChange.put(++version, op.path, op.dataJson, op.activityMillis);
                    bytes.writeBytes(JournalFormat.put(change));
                    staged.add(change);
                    present.put(op.path, true);
                    op.result = new WriteResult(version, true);
                }
                case DELETE -> {
                    Boolean known = present.get(op.path);
                    if (known != null ? known : state.contains(op.path)) {
                        RouteChange change = RouteChange.delete(++version, op.path);
                        bytes.writeBytes(JournalFormat.delete(change));
                        staged.add(change);
                        present.put(op.path, false);
                        op.result = new WriteResult(version, true);
                    } else {
                        op.result = new WriteResult(version, false);
                    }
                }
                case ACTIVITY -> {
                    for (Map.Entry<String, Long> e : op.activity.entrySet()) {
                        Boolean known = present.get(e.getKey());
                        if (known != null ? known : state.contains(e.getKey())) {
                            activity.merge(e.getKey(), e.getValue(), Math::max);
                        }
                    }
                }
                case COMPACT -> {
                    op.result = new WriteResult(version, false);
                    compact.add(op);
                    continue;
                }
                default -> throw new IllegalStateException("unexpected " + op.kind);
            }
            done.add(op);
        }
        if (!activity.isEmpty()) {
            bytes.writeBytes(JournalFormat.activity(activity));
        }
        if (bytes.size() > 0) {
            try {
                options.beforeSync().run();
                writeFully(journal, bytes.buffer(), journalLength);
                journal.force(true);
                syncs.incrementAndGet();
            } catch (IOException e) {
                writeFailed(e, done);
                return compact;
            }
            journalLength += bytes.size();
            recordsSinceSnapshot += staged.size();
            changesWritten.addAndGet(staged.size());
            if (!health.writable()) {
                log.info("Journal writes succeed again ({})", describe());
                health = StoreHealth.ok(describe());
            }
        }
        state.apply(staged); // the applier sees the changes only now that they are durable
        if (!activity.isEmpty()) {
            state.mergeActivity(activity);
        }
        for (Op op : done) {
            op.future.complete(op.result);
        }
        return compact;
    }

    /**
     * A write or fsync failed (a full disk, an I/O error): cut the journal back to its last intact length so
     * that no partial record stays in front of later ones, and refuse this batch. If even that fails, the
     * file's state is unknown and the store refuses every write until Hubgate is restarted (recovery then
     * drops the partial tail).
     */
    private void writeFailed(IOException cause, List<Op> failed) {
        String reason = JournalRecovery.describe(cause);
        try {
            journal.truncate(journalLength);
            journal.force(true);
            health = StoreHealth.failing("journal write failed: " + reason);
            log.error("Cannot write journal {}: {}. {} request(s) refused (answered 503); the journal is intact at "
                    + "{} bytes and the routing table unchanged", journalFile, reason, failed.size(), journalLength);
        } catch (IOException again) {
            broken = "the journal " + journalFile + " could not be written (" + reason + ") nor cut back to its "
                    + "last intact length (" + JournalRecovery.describe(again) + "); restart Hubgate to recover it";
            health = StoreHealth.failing(broken);
            log.error("Refusing all further route changes: {}", broken);
        }
        StoreException e = new StoreException("Cannot write journal " + journalFile + ": " + reason, cause);
        for (Op op : failed) {
            op.future.completeExceptionally(e);
        }
    }

    private void maybeCompact(boolean requested) {
        if (broken != null) {
            return;
        }
        boolean due = recordsSinceSnapshot >= Math.max(options.compactAfterRecords(), state.size())
                || journalLength - headerLength >= Math.max(options.compactAfterBytes(), 2 * snapshotBytes);
        if (!requested && (!due || System.nanoTime() - nextCompactionAttemptNanos < 0)) {
            return;
        }
        compact();
    }

    /**
     * Writes the table to a temporary file, fsyncs it, renames it over the snapshot, fsyncs the directory,
     * then cuts the journal back to its header. A crash at any point leaves a readable state: before the
     * rename the old snapshot and the full journal; after it the new snapshot and a journal whose records it
     * already contains (recovery skips them by version).
     */
    private void compact() {
        long started = System.nanoTime();
        List<StoredRoute> routes = state.routes();
        long version = state.version();
        long written;
        try {
            options.compactionHook().reached(CompactionStep.STARTED);
            try (FileChannel temp = FileChannel.open(tempFile, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(temp), 1 << 16);
                out.write(JournalFormat.snapshotHeader(state.epoch(), version, routes.size()));
                int half = routes.size() / 2;
                for (int i = 0; i < routes.size(); i++) {
                    if (i == half) {
                        out.flush();
                        options.compactionHook().reached(CompactionStep.SNAPSHOT_HALF_WRITTEN);
                    }
                    out.write(JournalFormat.snapshotRoute(routes.get(i)));
                }
                if (routes.isEmpty()) {
                    out.flush();
                    options.compactionHook().reached(CompactionStep.SNAPSHOT_HALF_WRITTEN);
                }
                out.write(JournalFormat.snapshotEnd(routes.size()));
                out.flush();
                temp.force(true);
                written = temp.size();
            }
            options.compactionHook().reached(CompactionStep.SNAPSHOT_SYNCED);
            Files.move(tempFile, snapshotFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
            snapshotBytes = written;
            options.compactionHook().reached(CompactionStep.SNAPSHOT_RENAMED);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tempFile);
            } catch (IOException ignored) {
                // reported below; startup removes it too
            }
            nextCompactionAttemptNanos = System.nanoTime() + COMPACTION_RETRY.toNanos();
            log.error("Journal compaction in {} failed: {}. The journal and the previous snapshot are intact; next "
                    + "attempt in {} s", dir, JournalRecovery.describe(e), COMPACTION_RETRY.toSeconds());
            return;
        }
        try {
            journal.truncate(headerLength);
            journal.force(true);
            journalLength = headerLength;
            recordsSinceSnapshot = 0;
            options.compactionHook().reached(CompactionStep.JOURNAL_CUT);
        } catch (IOException e) {
            // the snapshot is in place and covers the journal's records; appending after them stays correct
            try {
                journalLength = journal.size();
            } catch (IOException ignored) {
                // keep the old length
            }
            nextCompactionAttemptNanos = System.nanoTime() + COMPACTION_RETRY.toNanos();
            log.error("Cannot cut journal {} after writing a snapshot: {}. Recovery skips the records the snapshot "
                    + "holds; next attempt in {} s", journalFile, JournalRecovery.describe(e), COMPACTION_RETRY.toSeconds());
            return;
        }
        compactions.incrementAndGet();
        log.info("Compacted the journal: snapshot of {} routes at version {} ({} bytes) in {} ms", routes.size(),
                version, written, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    /** Makes a rename or a new file in {@code dir} durable. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // closing after a failure; the first error is the one reported
        }
    }
}
