package io.hubgate.api;

import io.hubgate.control.JupyterHubRoutes;
import io.hubgate.control.RouteJson;
import io.hubgate.json.JsonValue;
import io.hubgate.routing.RouteTable;
import io.hubgate.routing.Timestamps;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The REST API's rendering: the body of {@code GET /api/routes} for a JupyterHub-sized table
 * ({@link RoutesApiHandler#routesJson}: {@code Route.renderJson} of every route into one StringBuilder), the
 * UTF-8 copy the handler then makes of it, and {@link RouteJson#render} of one POSTed JupyterHub route body
 * (done once per {@code POST /api/routes/...}).
 *
 * <p>{@code encodeWithGetBytes} and {@code appendIso} are measured to explain the numbers of the others: the
 * first is an alternative to the handler's {@code Unpooled.copiedBuffer(json, UTF_8)}, the second the timestamp
 * formatting that every route of the listing goes through.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ApiRenderBenchmark {

    @Param({"10000"})
    public int routes;

    private RouteTable table;
    private String listing;
    private JsonValue userData;
    private StringBuilder timestamp;
    private long millis;

    @Setup
    public void setUp() {
        table = JupyterHubRoutes.table(routes);
        listing = RoutesApiHandler.routesJson(table, false, Long.MAX_VALUE);
        if (!listing.startsWith("{\"/\":{\"hub\":true,") || !listing.contains("\"/user/u00042\":{\"user\":\"u00042\"")) {
            throw new IllegalStateException("unexpected listing: " + listing.substring(0, 200));
        }
        userData = JupyterHubRoutes.userData(42);
        timestamp = new StringBuilder(32);
        millis = 1_795_250_559_776L;
    }

    /** The JSON text of {@code GET /api/routes}. */
    @Benchmark
    public String getAllRoutesJson() {
        return RoutesApiHandler.routesJson(table, false, Long.MAX_VALUE);
    }

    /** What the handler does with it: {@code Unpooled.copiedBuffer(json, UTF_8)} (measured on a ready string). */
    @Benchmark
    public int encodeWithCopiedBuffer() {
        ByteBuf buf = Unpooled.copiedBuffer(listing, StandardCharsets.UTF_8);
        int n = buf.readableBytes();
        buf.release();
        return n;
    }

    /** Alternative: {@code String.getBytes(UTF_8)} (intrinsified for Latin-1 strings) wrapped without a copy. */
    @Benchmark
    public int encodeWithGetBytes() {
        ByteBuf buf = Unpooled.wrappedBuffer(listing.getBytes(StandardCharsets.UTF_8));
        int n = buf.readableBytes();
        buf.release();
        return n;
    }

    /** One POSTed route's JSON fragments (jsonHead/jsonTail). */
    @Benchmark
    public RouteJson.Fragments renderRouteJson() {
        return RouteJson.render(userData);
    }

    /** One {@code last_activity} value, as every route of the listing formats it. */
    @Benchmark
    public StringBuilder appendIso() {
        StringBuilder out = timestamp;
        out.setLength(0);
        Timestamps.appendIso(out, millis);
        return out;
    }
}
