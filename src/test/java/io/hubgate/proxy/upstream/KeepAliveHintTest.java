package io.hubgate.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class KeepAliveHintTest {

    private static final long SIXTY_S = TimeUnit.SECONDS.toNanos(60);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "timeout=5|5",
            "timeout=5, max=1000|5",
            "max=100, timeout=10|10",
            " Timeout = 7 |7",
            "timeout=\"3\"|3",
            "timeout=0|0",
            "timeout=abc|-1",
            "timeout=|-1",
            "timeout=-4|-1",
            "timeout=99999999999|-1",
            "max=5|-1",
            "|-1",
    })
    void readsTheTimeoutParameter(String value, long seconds) {
        assertThat(KeepAliveHint.timeoutSeconds(value == null ? "" : value)).isEqualTo(seconds);
    }

    @Test
    void keepsOneSecondOfMarginBelowTheAnnouncedTimeout() {
        assertThat(KeepAliveHint.idleLimitNanos(headers("timeout=5"), SIXTY_S)).isEqualTo(TimeUnit.SECONDS.toNanos(4));
    }

    @Test
    void neverExtendsTheConfiguredLimit() {
        assertThat(KeepAliveHint.idleLimitNanos(headers("timeout=600"), SIXTY_S)).isEqualTo(SIXTY_S);
        assertThat(KeepAliveHint.idleLimitNanos(new DefaultHttpHeaders(), SIXTY_S)).isEqualTo(SIXTY_S);
        assertThat(KeepAliveHint.idleLimitNanos(headers("max=3"), SIXTY_S)).isEqualTo(SIXTY_S);
    }

    @Test
    void oneSecondOrLessMeansDoNotPool() {
        assertThat(KeepAliveHint.idleLimitNanos(headers("timeout=1"), SIXTY_S)).isLessThanOrEqualTo(0);
        assertThat(KeepAliveHint.idleLimitNanos(headers("timeout=0"), SIXTY_S)).isLessThanOrEqualTo(0);
    }

    private static HttpHeaders headers(String keepAlive) {
        return new DefaultHttpHeaders().set("Keep-Alive", keepAlive);
    }
}
