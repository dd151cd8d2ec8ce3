package io.hubgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.config.HubgateConfig;
import io.hubgate.routing.Target;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

/** The X-Forwarded-* values of {@link HeaderRewriter#toUpstream}, with its remembered Host port. */
class HeaderRewriterTest {

    private final HeaderRewriter rewriter = new HeaderRewriter(HubgateConfig.builder().build());
    private final Target target = Target.parse("http://127.0.0.1:8888");

    private HttpHeaders forward(String host, boolean tls, String existingPort) {
        HttpHeaders h = new DefaultHttpHeaders();
        if (host != null) {
            h.set("Host", host);
        }
        if (existingPort != null) {
            h.set("X-Forwarded-Port", existingPort);
        }
        rewriter.toUpstream(HttpMethod.GET, h, "10.0.0.1", tls, target, false);
        return h;
    }

    @Test
    void thePortComesFromTheHostHeaderWhateverTheOrderOfHosts() {
        // the same hosts again and again, alternating, and with either scheme: the cache must never answer
        // for another host or scheme
        for (int i = 0; i < 3; i++) {
            assertThat(forward("hub.example.org:8443", false, null).get("X-Forwarded-Port")).isEqualTo("8443");
            assertThat(forward("hub.example.org:8443", true, null).get("X-Forwarded-Port")).isEqualTo("8443");
            assertThat(forward("hub.example.org", false, null).get("X-Forwarded-Port")).isEqualTo("80");
            assertThat(forward("hub.example.org", true, null).get("X-Forwarded-Port")).isEqualTo("443");
            assertThat(forward("[::1]:9000", false, null).get("X-Forwarded-Port")).isEqualTo("9000");
            assertThat(forward("[::1]", true, null).get("X-Forwarded-Port")).isEqualTo("443");
            assertThat(forward(null, false, null).get("X-Forwarded-Port")).isEqualTo("80");
            assertThat(forward(null, true, null).get("X-Forwarded-Port")).isEqualTo("443");
            assertThat(forward("h:", false, null).get("X-Forwarded-Port")).isEqualTo("80");
        }
    }

    @Test
    void existingValuesAreAppendedToAndAbsentOnesAddedOnce() {
        HttpHeaders h = forward("h:81", false, "8000");
        assertThat(h.getAll("X-Forwarded-Port")).containsExactly("8000,81");
        assertThat(h.getAll("X-Forwarded-For")).containsExactly("10.0.0.1");
        assertThat(h.getAll("X-Forwarded-Proto")).containsExactly("http");
        assertThat(h.getAll("X-Forwarded-Host")).containsExactly("h:81");
        assertThat(forward("h:81", false, "").getAll("X-Forwarded-Port")).containsExactly("81");
    }
}
