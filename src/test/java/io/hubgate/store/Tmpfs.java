package io.hubgate.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for a test (needs root or CAP_SYS_ADMIN): a really full disk, or a really read-only
 * one, instead of a simulated error. {@link #mount} returns null where mounting is not allowed; tests then
 * skip with an assumption.
 */
public final class Tmpfs implements AutoCloseable {

    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs with {@code options} (e.g. {@code size=64k} or {@code ro,size=64k}) on {@code dir}, or null. */
    public static Tmpfs mount(Path dir, String options) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        return run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString())) ? new Tmpfs(dir) : null;
    }

    public Path dir() {
        return dir;
    }

    /** Whether the current user can ignore file permissions (then chmod cannot make a directory unwritable). */
    public static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean run(List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            return false; // no mount(8)
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (!run(List.of("umount", dir.toString()))) {
            run(List.of("umount", "-l", dir.toString()));
        }
    }
}
