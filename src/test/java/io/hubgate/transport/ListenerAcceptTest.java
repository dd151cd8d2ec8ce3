package io.hubgate.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hubgate.config.ListenAddress;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Connections that arrive together are accepted together: Netty's server channels otherwise accept one per turn
 * of the event loop, and under load the last of 64 connections opened at once waited 60-120 ms for its first
 * response (docs/performance.md, p99).
 */
class ListenerAcceptTest {

    @Test
    void queuedConnectionsAreAcceptedInOneTurnOfTheEventLoop() throws Exception {
        Transport transport = Transport.detect();
        EventLoopGroup loop = transport.newGroup(1, "accept-test");
        Listener listener = Listener.bind("test", ListenAddress.tcp("127.0.0.1", 0), transport, loop,
                new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                    }
                });
        List<Integer> acceptsPerTurn = new CopyOnWriteArrayList<>();
        AtomicInteger accepted = new AtomicInteger();
        listener.channel().pipeline().addFirst(new ChannelInboundHandlerAdapter() {
            private int thisTurn;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                thisTurn++;
                accepted.incrementAndGet();
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                acceptsPerTurn.add(thisTurn);
                thisTurn = 0;
                ctx.fireChannelReadComplete();
            }
        });
        int port = ((InetSocketAddress) listener.channel().localAddress()).getPort();
        List<Socket> clients = new ArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        try {
            // Hold the event loop while 20 clients connect: the kernel completes their handshakes and queues them.
            loop.execute(() -> {
                blocked.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 20; i++) {
                clients.add(new Socket("127.0.0.1", port)); // returns once connected, accepted or not
            }
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> accepted.get() == 20);
            await().atMost(Duration.ofSeconds(10)).until(() -> acceptsPerTurn.stream().mapToInt(Integer::intValue).sum() == 20);
            assertThat(acceptsPerTurn).containsExactly(20);
        } finally {
            release.countDown();
            for (Socket s : clients) {
                s.close();
            }
            listener.close();
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
