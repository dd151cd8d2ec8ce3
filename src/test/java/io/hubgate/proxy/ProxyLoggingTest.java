package io.hubgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateFixture;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** chp-behaviour §6 and Q17: CHP's message texts and levels for proxy errors; the optional access log. */
class ProxyLoggingTest {

    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private Logger proxyLog;
    private Logger accessLog;

    @BeforeEach
    void capture() {
        proxyLog = (Logger) LoggerFactory.getLogger("hubgate.proxy");
        accessLog = (Logger) LoggerFactory.getLogger("hubgate.access");
        events.start();
        proxyLog.addAppender(events);
        accessLog.addAppender(events);
    }

    @AfterEach
    void release() {
        proxyLog.detachAppender(events);
        accessLog.detachAppender(events);
    }

    private List<String> lines(Level level) {
        return events.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void errorsAreLoggedAsChpDoes() {
        try (HubgateFixture f = HubgateFixture.start(b -> { })) {
            f.addRoute("/dead", "http://127.0.0.1:1");
            f.get("/nothing?secret=1");
            f.get("/dead/x");
            assertThat(lines(Level.ERROR)).contains("404 GET /nothing ", "503 GET /dead/x connect ECONNREFUSED 127.0.0.1:1");
            assertThat(events.list).noneMatch(e -> e.getLoggerName().equals("hubgate.access"));
        }
    }

    @Test
    void accessLogIsOptional() {
        try (HttpBackend backend = new HttpBackend("b");
             HubgateFixture f = HubgateFixture.start(b -> { b.defaultTarget = backend.url(); b.accessLog = true; })) {
            f.get("/hello?q=1");
            assertThat(lines(Level.INFO)).anyMatch(l -> l.matches("200 GET /hello \\d+ms"));
        }
    }
}
