package io.hubgate.proxy.errors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Static error pages (chp-behaviour §4.10 step 2, §4.11): {@code <dir>/<code>.html}, else
 * {@code <dir>/error.html}; the built-in pages when no {@code --error-path} is given. Files in an
 * {@code --error-path} are read when an error happens, so an admin can edit them without a restart.
 */
public final class ErrorPages {

    private static final Logger log = LoggerFactory.getLogger(ErrorPages.class);

    private final Path dir; // null: built-in pages

    public ErrorPages(Path dir) {
        this.dir = dir;
    }

    /** The page body for {@code code}, or null if there is none (then the plain reason phrase is sent). */
    public byte[] page(int code) {
        return dir == null ? builtIn(code) : fromDirectory(code);
    }

    private byte[] fromDirectory(int code) {
        Path specific = dir.resolve(code + ".html");
        try {
            return Files.readAllBytes(specific);
        } catch (IOException e) {
            log.debug("No error file {}", specific);
        }
        Path generic = dir.resolve("error.html");
        try {
            return Files.readAllBytes(generic);
        } catch (IOException e) {
            log.error("No error file {}", generic);
            return null;
        }
    }

    private static byte[] builtIn(int code) {
        byte[] page = resource(code + ".html");
        return page != null ? page : resource("error.html");
    }

    private static byte[] resource(String name) {
        try (InputStream in = ErrorPages.class.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }
}
