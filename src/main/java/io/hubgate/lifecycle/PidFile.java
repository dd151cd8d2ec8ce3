package io.hubgate.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code --pid-file}: the pid, without a newline, written at startup and removed at exit (as CHP). */
public final class PidFile {

    private static final Logger log = LoggerFactory.getLogger("hubgate");

    private final Path path;

    private PidFile(Path path) {
        this.path = path;
    }

    public static PidFile write(Path path) throws IOException {
        long pid = ProcessHandle.current().pid();
        log.info("Writing pid {} to {}", pid, path);
        Files.writeString(path, Long.toString(pid), StandardCharsets.US_ASCII);
        return new PidFile(path);
    }

    public void remove() {
        try {
            log.debug("Removing {}", path);
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("Could not remove pid file {}: {}", path, e.getMessage());
        }
    }
}
