package io.hubgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.hubgate.testing.HubgateFixture;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The API's log lines (chp-behaviour §3.5, §6, Q11, Q16): CHP's message texts, levels by status, URLs
 * without their query, and never the presented credential — even at debug level.
 */
class ApiLoggingTest {

    static final List<String> LINES = new CopyOnWriteArrayList<>();
    static Logger apiLogger;
    static Level previous;
    static AppenderBase<ILoggingEvent> appender;
    static HubgateFixture hub;
    static ApiClient api;

    @BeforeAll
    static void start() {
        apiLogger = (Logger) LoggerFactory.getLogger("hubgate.api");
        previous = apiLogger.getLevel();
        apiLogger.setLevel(Level.DEBUG);
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                LINES.add(e.getLevel() + " " + e.getFormattedMessage());
            }
        };
        appender.setContext(apiLogger.getLoggerContext());
        appender.start();
        apiLogger.addAppender(appender);
        hub = HubgateFixture.start(b -> { });
        api = new ApiClient(hub);
    }

    @AfterAll
    static void stop() {
        hub.close();
        apiLogger.detachAppender(appender);
        apiLogger.setLevel(previous);
    }

    @BeforeEach
    void clear() {
        LINES.clear();
    }

    /** Lines are written on the event loop, possibly just after the client has its response. */
    static void awaitLine(String line) {
        Awaitility.await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(LINES).contains(line));
    }

    @Test
    void addAndRemoveUseCHPTexts() {
        api.add("/user/alice?ignored=1", "{\"target\":\"http://127.0.0.1:9\"}");
        awaitLine("INFO Adding route /user/alice -> http://127.0.0.1:9");
        awaitLine("INFO Route added /user/alice -> http://127.0.0.1:9");
        awaitLine("INFO 201 POST /api/routes/user/alice ");
        api.get("?inactive_since=2999-01-01");
        awaitLine("INFO 200 GET /api/routes ");
        api.delete("/user/alice/");
        awaitLine("INFO Removing route /user/alice/");
        awaitLine("INFO 204 DELETE /api/routes/user/alice/ ");
        LINES.clear();
        api.delete("/user/alice");
        awaitLine("WARN 404 DELETE /api/routes/user/alice ");
        assertThat(LINES).noneMatch(l -> l.contains("Removing route"));
    }

    @Test
    void failuresAreWarningsWithTheirMessage() {
        api.post("/x", "{bad");
        Awaitility.await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(LINES)
                .anyMatch(l -> l.startsWith("WARN 400 POST /api/routes/x Body not valid JSON: SyntaxError: ")));
        api.post("/x", "{\"target\":1}");
        awaitLine("WARN Bad POST data: {\"target\":1}");
        awaitLine("WARN 400 POST /api/routes/x Must specify 'target' as string");
        api.sendTo("/api/nothing?q=1", "GET", null);
        awaitLine("WARN 404 GET /api/nothing ");
        api.send("PUT", "/x", "{}");
        awaitLine("WARN 405 PUT /api/routes/x Method not supported");
        api.get("?inactive_since=never");
        awaitLine("WARN 400 GET /api/routes Invalid datestamp 'never' must be ISO8601.");
    }

    @Test
    void thePresentedCredentialIsNeverLogged() {
        new ApiClient(hub, "hunter2-wrong").get("");
        new ApiClient(hub, "hunter2-wrong").post("/y", "{\"target\":\"http://127.0.0.1:9\"}");
        awaitLine("WARN 403 POST /api/routes/y ");
        awaitLine("DEBUG Rejecting API request from: 127.0.0.1");
        assertThat(LINES).noneMatch(l -> l.contains("hunter2"));
        api.get("");
        awaitLine("INFO 200 GET /api/routes ");
        assertThat(LINES).noneMatch(l -> l.contains(HubgateFixture.TOKEN));
    }
}
