package io.hubgate.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Runtime control of logging with CHP's level names. The line format itself comes from
 * {@link ChpLogbackConfigurator} ({@link ChpLayout} on stdout).
 */
public final class Logging {

    /**
     * Loggers of the libraries Hubgate ships (and may ship), kept at WARN so that {@code --log-level debug}
     * shows Hubgate's own debug lines, as CHP's does, and not Netty's internals. {@code silly} opens them up.
     */
    public static final List<String> LIBRARY_LOGGERS = List.of(
            "io.netty", "io.prometheus", "tools.jackson", "com.fasterxml.jackson", "picocli",
            "io.lettuce", "io.etcd", "io.grpc", "io.vertx", "reactor");

    private Logging() {
    }

    /**
     * Sets the root level from a CHP level name: error&rarr;ERROR, warn&rarr;WARN, info/http&rarr;INFO,
     * verbose/debug&rarr;DEBUG, silly&rarr;TRACE. Library loggers stay at WARN (or ERROR when the level is
     * error) unless the level is silly.
     *
     * @throws IllegalArgumentException for any other name (the CLI has already rejected those)
     * @throws IllegalStateException if SLF4J is not bound to logback
     */
    public static void configure(String chpLevel) {
        Level level = toLogbackLevel(chpLevel);
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            throw new IllegalStateException("SLF4J is not bound to logback: " + LoggerFactory.getILoggerFactory());
        }
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(level);
        Level libraries = level == Level.TRACE ? null : (level == Level.ERROR ? Level.ERROR : Level.WARN);
        for (String name : LIBRARY_LOGGERS) {
            Logger logger = context.getLogger(name);
            logger.setLevel(libraries); // null: inherit the root level
        }
    }

    /** The logback level for a CHP (winston npm) level name, case-insensitive. */
    public static Level toLogbackLevel(String chpLevel) {
        String name = chpLevel == null ? "" : chpLevel.toLowerCase(Locale.ROOT);
        return switch (name) {
            case "error" -> Level.ERROR;
            case "warn" -> Level.WARN;
            case "info", "http" -> Level.INFO;
            case "verbose", "debug" -> Level.DEBUG;
            case "silly" -> Level.TRACE;
            default -> throw new IllegalArgumentException("unknown log level '" + chpLevel
                    + "' (expected error, warn, info, http, verbose, debug or silly)");
        };
    }
}
