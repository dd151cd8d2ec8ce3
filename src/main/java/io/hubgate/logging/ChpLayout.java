package io.hubgate.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * configurable-http-proxy's log line: {@code 2026-11-22T08:42:39.775Z [ConfigProxy] info: <message>}.
 *
 * <p>UTC timestamp with milliseconds, CHP's label, the level in CHP's lower-case words, then the message and,
 * if any, the stack trace. CHP always colours the level; Hubgate colours it (red error, yellow warn, green
 * info, blue debug, as winston does) only when stdout is a terminal, so that files and log collectors get
 * plain text (decision Q16); a non-empty {@code NO_COLOR} also turns it off. Set {@code colour} to
 * {@code always}, {@code never} or {@code auto} (default).
 */
public class ChpLayout extends LayoutBase<ILoggingEvent> {

    /** ISO-8601 in UTC with exactly three fraction digits ({@code Instant.toString()} drops zero millis). */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final String RESET_FOREGROUND = "\u001b[39m";

    private String colour = "auto";
    private boolean useColour;

    /** {@code auto} (colour when stdout is a terminal), {@code always} or {@code never}. */
    public void setColour(String colour) {
        this.colour = colour;
    }

    public String getColour() {
        return colour;
    }

    @Override
    public void start() {
        switch (colour == null ? "auto" : colour.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "always" -> useColour = true;
            case "never" -> useColour = false;
            case "auto" -> useColour = Terminal.stdoutIsTerminal() && !noColorRequested();
            default -> {
                addError("colour must be auto, always or never, not '" + colour + "'");
                return;
            }
        }
        super.start();
    }

    /** The no-color.org convention: a non-empty {@code NO_COLOR} turns colour off. */
    private static boolean noColorRequested() {
        String noColor = System.getenv("NO_COLOR");
        return noColor != null && !noColor.isEmpty();
    }

    /** Whether levels are coloured; decided once at {@link #start()}. */
    public boolean usesColour() {
        return useColour;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        TIMESTAMP.formatTo(event.getInstant(), line);
        line.append(" [ConfigProxy] ");
        String level = levelName(event.getLevel());
        if (useColour) {
            line.append(ansiColour(event.getLevel())).append(level).append(RESET_FOREGROUND);
        } else {
            line.append(level);
        }
        line.append(": ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
        }
        return line.toString();
    }

    /** CHP's word for a logback level; TRACE is winston's most verbose level, {@code silly}. */
    static String levelName(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> "error";
            case Level.WARN_INT -> "warn";
            case Level.INFO_INT -> "info";
            case Level.DEBUG_INT -> "debug";
            default -> "silly";
        };
    }

    /** winston's default npm colours. */
    private static String ansiColour(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> "\u001b[31m"; // red
            case Level.WARN_INT -> "\u001b[33m";  // yellow
            case Level.INFO_INT -> "\u001b[32m";  // green
            case Level.DEBUG_INT -> "\u001b[34m"; // blue
            default -> "\u001b[35m";              // magenta (silly)
        };
    }
}
