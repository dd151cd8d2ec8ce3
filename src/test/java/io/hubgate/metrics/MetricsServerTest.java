package io.hubgate.metrics;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The metrics pipeline on a real NIO server on loopback, scraped with the JDK's HTTP client. */
class MetricsServerTest {

    private final PrometheusProxyMetrics metrics = new PrometheusProxyMetrics();
    private EventLoopGroup group;
    private Channel server;
    private URI base;

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new MetricsChannelInitializer(metrics.registry()))
                .bind("127.0.0.1", 0)
                .syncUninterruptibly()
                .channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        base = URI.create("http://127.0.0.1:" + port);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            assertThat(server.close().awaitUninterruptibly(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS))
                .isTrue();
    }

    @Test
    void scrapeReturnsChpAndJvmMetrics() throws Exception {
        metrics.requestWeb();
        metrics.requestWeb();
        metrics.requestApi(201);
        metrics.findTargetForReq(1_000);
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        HttpResponse<String> scrape = client.send(
                HttpRequest.newBuilder(base.resolve("/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("content-type"))
                .contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(scrape.body())
                .contains("# HELP requests_web Count of web requests\n# TYPE requests_web counter\nrequests_web 2\n")
                .contains("\nrequests_api{status=\"201\"} 1\n")
                .contains("\nfind_target_for_req_count 1\n")
                .contains("\n# TYPE jvm_memory_used_bytes gauge\n")
                .contains("\nprocess_cpu_seconds_total ")
                .doesNotContain("requests_web_total");

        // Same client, kept-alive connection: a query string is not the metrics path.
        HttpResponse<String> notFound = client.send(
                HttpRequest.newBuilder(base.resolve("/metrics?x")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.body()).isEqualTo("Not Found");
    }
}
