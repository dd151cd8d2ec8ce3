package io.hubgate.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChpLayoutTest {

    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        // An appender that failed would only say so here.
        assertThat(context.getStatusManager().getCopyOfStatusList())
                .noneMatch(status -> status.getEffectiveLevel() >= Status.WARN);
        context.stop();
    }

    /** A private logback context whose only appender writes CHP-formatted lines into {@link #sink}. */
    private Logger logger(String colour) {
        context.setMDCAdapter(new LogbackMDCAdapter()); // a bare LoggerContext has none (logback 1.5+)
        context.start();
        ChpLayout layout = new ChpLayout();
        layout.setContext(context);
        layout.setColour(colour);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(sink);
        appender.start();
        Logger logger = context.getLogger("io.hubgate.test");
        logger.setLevel(Level.TRACE);
        logger.setAdditive(false);
        logger.addAppender(appender);
        return logger;
    }

    private List<String> lines() {
        return sink.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void chpLineFormatThroughARealAppender() {
        Logger log = logger("never");
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        log.info("Route added {} -> {}", "/", "http://127.0.0.1:8081");
        log.warn("REST API is not authenticated.");
        log.error("503 GET /user/alice/ socket hang up");
        log.debug("PROXY WEB /user/alice/ to http://10.0.0.7:8888");
        log.trace("very chatty");
        Instant after = Instant.now();

        List<String> lines = lines();
        assertThat(lines).hasSize(5);
        String stamp = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
        assertThat(lines.get(0)).matches(stamp + " \\[ConfigProxy\\] info: Route added / -> http://127\\.0\\.0\\.1:8081");
        assertThat(lines.get(1)).matches(stamp + " \\[ConfigProxy\\] warn: REST API is not authenticated\\.");
        assertThat(lines.get(2)).matches(stamp + " \\[ConfigProxy\\] error: 503 GET /user/alice/ socket hang up");
        assertThat(lines.get(3)).matches(stamp + " \\[ConfigProxy\\] debug: PROXY WEB /user/alice/ to http://10\\.0\\.0\\.7:8888");
        assertThat(lines.get(4)).matches(stamp + " \\[ConfigProxy\\] silly: very chatty");
        // The timestamp is the event's time in UTC.
        for (String line : lines) {
            Instant logged = Instant.parse(line.substring(0, 24));
            assertThat(logged).isBetween(before, after);
        }
        assertThat(sink.toString(StandardCharsets.UTF_8)).doesNotContain("\u001b");
    }

    @Test
    void exactLineForAKnownInstant() {
        ChpLayout layout = new ChpLayout();
        layout.setColour("never");
        layout.start();
        assertThat(layout.doLayout(event(Level.INFO, "2026-11-22T08:42:39.775Z",
                "Proxy API at http://9001:localhost/api/routes")))
                .isEqualTo("2026-11-22T08:42:39.775Z [ConfigProxy] info: Proxy API at http://9001:localhost/api/routes"
                        + System.lineSeparator());
        // Zero milliseconds still print three digits (Instant.toString() would drop them).
        assertThat(layout.doLayout(event(Level.WARN, "2026-01-02T03:04:05Z", "Terminated")))
                .isEqualTo("2026-01-02T03:04:05.000Z [ConfigProxy] warn: Terminated" + System.lineSeparator());
    }

    @Test
    void coloursAreWinstonsWhenEnabled() {
        Logger log = logger("always");
        log.error("e");
        log.warn("w");
        log.info("i");
        log.debug("d");
        assertThat(lines()).satisfiesExactly(
                line -> assertThat(line).endsWith(" [ConfigProxy] \u001b[31merror\u001b[39m: e"),
                line -> assertThat(line).endsWith(" [ConfigProxy] \u001b[33mwarn\u001b[39m: w"),
                line -> assertThat(line).endsWith(" [ConfigProxy] \u001b[32minfo\u001b[39m: i"),
                line -> assertThat(line).endsWith(" [ConfigProxy] \u001b[34mdebug\u001b[39m: d"));
    }

    @Test
    void autoColourIsOffWhenStdoutIsNotATerminal() {
        // Surefire's forked JVM writes stdout into a pipe, never a terminal.
        ChpLayout layout = new ChpLayout();
        layout.start();
        assertThat(layout.getColour()).isEqualTo("auto");
        assertThat(layout.isStarted()).isTrue();
        assertThat(layout.usesColour()).isFalse();
        assertThat(Terminal.stdoutIsTerminal()).isFalse();
    }

    @Test
    void unknownColourSettingDoesNotStart() {
        LoggerContext own = new LoggerContext();
        ChpLayout layout = new ChpLayout();
        layout.setContext(own);
        layout.setColour("sometimes");
        layout.start();
        assertThat(layout.isStarted()).isFalse();
        assertThat(own.getStatusManager().getCopyOfStatusList()).anySatisfy(status -> assertThat(status.getMessage())
                .isEqualTo("colour must be auto, always or never, not 'sometimes'"));
    }

    @Test
    void stackTraceFollowsTheLine() {
        Logger log = logger("never");
        log.error("Uncaught Exception: boom", new IllegalStateException("boom"));
        List<String> lines = lines();
        assertThat(lines.get(0)).endsWith(" [ConfigProxy] error: Uncaught Exception: boom");
        assertThat(lines.get(1)).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(lines.get(2)).contains("at io.hubgate.logging.ChpLayoutTest.stackTraceFollowsTheLine");
    }

    private static LoggingEvent event(Level level, String instant, String message) {
        LoggingEvent event = new LoggingEvent();
        event.setLevel(level);
        event.setMessage(message);
        event.setLoggerName("io.hubgate.test");
        event.setInstant(Instant.parse(instant));
        return event;
    }
}
