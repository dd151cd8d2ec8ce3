package io.hubgate.e2e;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts the external processes of an end-to-end test, keeps their output in log files and kills
 * them, whole process trees included, when the test ends.
 *
 * <p>Descendants are not enough to find everything: a single-user server left running across a
 * hub restart, or a proxy that outlived its hub, has been re-parented to init. Such processes are
 * found by a marker in their command line that only this test's processes carry (the temporary
 * directory, a port of this test).
 */
final class E2eProcesses implements AutoCloseable {

    /** A process we started, with the file that receives its stdout and stderr. */
    record Started(String name, Process process, Path log) {
        long pid() {
            return process.pid();
        }
    }

    private static final Duration TERM_GRACE = Duration.ofSeconds(5);

    private final Path logDir;
    private final List<Started> started = new ArrayList<>();
    private final List<String> commandLineMarkers = new ArrayList<>();

    E2eProcesses(Path logDir) {
        this.logDir = logDir;
    }

    /** Starts {@code command} in {@code workDir}; stdout and stderr go to {@code <name>.log}. */
    Started start(String name, List<String> command, Path workDir, Map<String, String> env) {
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // The hub and the fixture must run on the interpreter they were installed for, not on
        // whatever a developer's Python environment points at.
        builder.environment().remove("PYTHONPATH");
        builder.environment().remove("PYTHONHOME");
        builder.environment().putAll(env);
        try {
            Started process = new Started(name, builder.start(), log);
            started.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /** Also kill, at the end, every process whose command line contains {@code marker}. */
    void killAtEndByCommandLine(String marker) {
        commandLineMarkers.add(marker);
    }

    /** The live process whose pid is in {@code file}, if the file exists and names one. */
    static Optional<ProcessHandle> processFromPidFile(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (text.isEmpty()) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(text)).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Sends SIGTERM to this one process (not its children, as JupyterHub and init systems do) and
     * waits for it to exit.
     *
     * @return the exit code
     */
    int terminate(Started process, Duration timeout) {
        process.process().destroy();
        try {
            if (!process.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(process.name() + " (pid " + process.pid()
                        + ") did not exit within " + timeout + " of SIGTERM");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + process.name(), e);
        }
        return process.process().exitValue();
    }

    static String logOf(Started process) {
        try {
            // Lenient decoding: a log is diagnostic output, not data to validate.
            return new String(Files.readAllBytes(process.log()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + process.log() + ": " + e + ")";
        }
    }

    void printLogs(PrintStream out) {
        for (Started process : started) {
            out.println("===== " + process.name() + " (pid " + process.pid() + ", "
                    + (process.process().isAlive() ? "running" : "exit " + process.process().exitValue())
                    + ") log " + process.log() + " =====");
            out.println(logOf(process));
        }
        out.println("===== end of logs; kept in " + logDir + " =====");
    }

    /** Kills everything this test started: SIGTERM first, SIGKILL for whatever is left after a grace period. */
    @Override
    public void close() {
        Set<ProcessHandle> victims = new LinkedHashSet<>();
        // Snapshot the trees before anything dies: killing a parent re-parents its children.
        for (Started process : started) {
            ProcessHandle handle = process.process().toHandle();
            handle.descendants().forEach(victims::add);
            victims.add(handle);
        }
        if (!commandLineMarkers.isEmpty()) {
            long self = ProcessHandle.current().pid();
            ProcessHandle.allProcesses()
                    .filter(handle -> handle.pid() != self)
                    .filter(handle -> handle.info().commandLine()
                            .map(line -> commandLineMarkers.stream().anyMatch(line::contains)).orElse(false))
                    .forEach(handle -> {
                        handle.descendants().forEach(victims::add);
                        victims.add(handle);
                    });
        }
        victims.removeIf(handle -> !handle.isAlive());
        if (victims.isEmpty()) {
            return;
        }
        victims.forEach(ProcessHandle::destroy);
        awaitExit(victims, TERM_GRACE);
        victims.removeIf(handle -> !handle.isAlive());
        victims.forEach(ProcessHandle::destroyForcibly);
        awaitExit(victims, TERM_GRACE);
    }

    private static void awaitExit(Set<ProcessHandle> handles, Duration timeout) {
        CompletableFuture<?>[] exits = handles.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the caller checks isAlive() and escalates
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
