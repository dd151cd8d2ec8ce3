package io.hubgate.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingTest {

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    @AfterEach
    void backToInfo() {
        Logging.configure("info");
    }

    @ParameterizedTest
    @CsvSource({"error,ERROR", "warn,WARN", "info,INFO", "http,INFO", "verbose,DEBUG", "debug,DEBUG",
            "silly,TRACE", "DEBUG,DEBUG"})
    void chpLevelNames(String chp, String logback) {
        assertThat(Logging.toLogbackLevel(chp)).isEqualTo(Level.toLevel(logback));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "trace", "", "warning"})
    void unknownLevelNamesAreRejected(String name) {
        assertThatThrownBy(() -> Logging.configure(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown log level '" + name + "'");
    }

    @Test
    void debugOpensHubgateButNotLibraries() {
        Logging.configure("debug");
        assertThat(context().getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
        assertThat(context().getLogger("io.hubgate.proxy.Something").getEffectiveLevel()).isEqualTo(Level.DEBUG);
        assertThat(context().getLogger("io.netty.handler.ssl.SslHandler").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context().getLogger("io.prometheus.metrics.core").getEffectiveLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void sillyOpensEverything() {
        Logging.configure("silly");
        assertThat(context().getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.TRACE);
        assertThat(context().getLogger("io.netty.channel").getEffectiveLevel()).isEqualTo(Level.TRACE);
    }

    @Test
    void errorQuietensLibrariesToo() {
        Logging.configure("error");
        assertThat(context().getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.ERROR);
        assertThat(context().getLogger("io.netty.channel").getEffectiveLevel()).isEqualTo(Level.ERROR);
        assertThat(context().getLogger("io.hubgate").isWarnEnabled()).isFalse();
    }

    @Test
    void logbackIsConfiguredCleanlyWithTheChpLayoutOnStdout() {
        LoggerContext context = context();
        assertThat(context.getStatusManager().getCopyOfStatusList())
                .noneMatch(status -> status.getEffectiveLevel() >= Status.WARN);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender("STDOUT")).isInstanceOfSatisfying(ConsoleAppender.class, appender -> {
            assertThat(appender.getTarget()).isEqualTo("System.out");
            assertThat(appender.getEncoder()).isInstanceOfSatisfying(LayoutWrappingEncoder.class,
                    encoder -> assertThat(encoder.getLayout()).isInstanceOf(ChpLayout.class));
        });
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    }
}
