package io.hubgate.api;

import io.hubgate.control.JupyterHubRoutes;
import io.hubgate.control.RouteJson;
import io.hubgate.json.JsonValue;
import io.hubgate.json.Utf8Buffer;
import io.hubgate.routing.RouteTable;
import io.hubgate.routing.Timestamps;
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
 * ({@link RoutesApiHandler#routesJson}: {@code Route.renderJson} of every route into one {@link Utf8Buffer},
 * which the handler wraps without a copy), and {@link RouteJson#render} of one POSTed JupyterHub route body
 * (done once per {@code POST /api/routes/...}).
 *
 * <p>{@code appendIso} is measured to explain the listing's number: the timestamp formatting that every
 * route of the listing goes through.
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
    private JsonValue userData;
    private Utf8Buffer timestamp;
    private long millis;

    @Setup
    public void setUp() {
        table = JupyterHubRoutes.table(routes);
        String listing = RoutesApiHandler.routesJson(table, false, Long.MAX_VALUE).toString();
        if (!listing.startsWith("{\"/\":{\"hub\":true,") || !listing.contains("\"/user/u00042\":{\"user\":\"u00042\"")) {
            throw new IllegalStateException("unexpected listing: " + listing.substring(0, 200));
        }
        userData = JupyterHubRoutes.userData(42);
        timestamp = new Utf8Buffer(32);
        millis = 1_795_250_559_776L;
    }

    /** The JSON text of {@code GET /api/routes}. */
    @Benchmark
    public Utf8Buffer getAllRoutesJson() {
        return RoutesApiHandler.routesJson(table, false, Long.MAX_VALUE);
    }

    /** One POSTed route's JSON fragments (jsonHead/jsonTail). */
    @Benchmark
    public RouteJson.Fragments renderRouteJson() {
        return RouteJson.render(userData);
    }

    /** One {@code last_activity} value, as every route of the listing formats it. */
    @Benchmark
    public Utf8Buffer appendIso() {
        Utf8Buffer out = timestamp;
        out.clear();
        Timestamps.appendIso(out, millis);
        return out;
    }
}
