package io.hubgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateFixture;
import io.hubgate.testing.RawHttp;
import io.hubgate.testing.WebSocketBackend;
import io.hubgate.testing.WsFrames;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NIO transport (used where epoll is unavailable) proxies HTTP, websockets and UNIX-socket targets like
 * epoll does. Every other test runs on epoll on this Linux machine.
 */
class NioTransportTest {

    @Test
    void detectsEpollHereAndHonoursTheNioSwitch() {
        assertThat(Transport.detect().name()).isEqualTo("epoll");
        System.setProperty("hubgate.transport", "nio");
        try {
            assertThat(Transport.detect().name()).isEqualTo("nio");
        } finally {
            System.clearProperty("hubgate.transport");
        }
    }

    @Test
    void proxiesOverNio(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("b.sock");
        HubgateFixture hub;
        System.setProperty("hubgate.transport", "nio");
        try (HttpBackend http = new HttpBackend("tcp"); HttpBackend unix = HttpBackend.onUnixSocket("unix", socket);
             WebSocketBackend ws = new WebSocketBackend()) {
            hub = HubgateFixture.start(b -> b.defaultTarget = http.url());
            try {
                hub.addRoute("/ws", ws.url());
                hub.addRoute("/unix", "http+unix://" + URLEncoder.encode(socket.toString(), StandardCharsets.UTF_8));
                assertThat(hub.get("/a").body()).contains("\"name\":\"tcp\"");
                assertThat(hub.get("/unix/b").body()).contains("\"name\":\"unix\"");
                try (RawHttp raw = new RawHttp(hub.server.proxyPort())) {
                    raw.send(WsFrames.concat(WsFrames.handshake("/ws", "a").getBytes(StandardCharsets.US_ASCII),
                            WsFrames.clientText("early")));
                    assertThat(raw.read(true).status()).isEqualTo(101);
                    assertThat(WsFrames.readText(raw.in())).isEqualTo("connected");
                    assertThat(WsFrames.readText(raw.in())).isEqualTo("echo:/ws:early");
                }
            } finally {
                hub.close();
            }
        } finally {
            System.clearProperty("hubgate.transport");
        }
    }
}
