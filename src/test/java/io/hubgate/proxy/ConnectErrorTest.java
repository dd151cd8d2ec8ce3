package io.hubgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.routing.Target;
import io.netty.channel.ChannelException;
import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/**
 * The detail in "503 GET /x &lt;detail&gt;" log lines when the upstream connection cannot be made. The refused and
 * timed-out cases are also covered end to end in {@link ProxyLoggingTest}; running out of file descriptors cannot
 * be provoked in-process without starving the test JVM, so its exception chain (as Netty's epoll transport builds
 * it) is reproduced here.
 */
class ConnectErrorTest {

    private final Target target = Target.parse("http://127.0.0.1:9199");

    @Test
    void refusedLooksLikeNodes() {
        assertThat(ClientToProxyHandler.connectError(new ConnectException("Connection refused"), target))
                .isEqualTo("connect ECONNREFUSED 127.0.0.1:9199");
    }

    @Test
    void timedOutLooksLikeNodes() {
        assertThat(ClientToProxyHandler.connectError(
                new ConnectTimeoutException("connection timed out after 30000 ms: /127.0.0.1:9199"), target))
                .isEqualTo("connect ETIMEDOUT 127.0.0.1:9199");
    }

    @Test
    void outOfFileDescriptorsNamesTheLimit() {
        // Netty: ReflectiveChannelFactory wraps the failing socket(2) of the channel's constructor
        Throwable emfile = new ChannelException("Unable to create Channel from class class "
                + "io.netty.channel.epoll.EpollSocketChannel", new ChannelException("Failed to open a socket.",
                new IOException("newSocketStream(..) failed: Too many open files")));
        assertThat(ClientToProxyHandler.connectError(emfile, target))
                .isEqualTo("connect EMFILE 127.0.0.1:9199 (too many open files: raise the proxy's open-file limit, "
                        + "ulimit -n)");
    }

    @Test
    void anythingElseKeepsItsMessage() {
        assertThat(ClientToProxyHandler.connectError(new IOException("Network is unreachable"), target))
                .isEqualTo("Network is unreachable (127.0.0.1:9199)");
    }
}
