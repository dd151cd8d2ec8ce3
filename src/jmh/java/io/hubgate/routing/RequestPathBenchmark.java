package io.hubgate.routing;

import io.hubgate.control.JupyterHubRoutes;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-request path handling: {@link RequestPath#parse} of typical JupyterHub request-targets,
 * {@link RequestPath#upstreamUri} with the prefix kept (CHP's default) and stripped ({@code --no-include-prefix}),
 * and the API's key normalisation {@link RoutePaths#clean}.
 *
 * <p>Inputs live in non-final fields of the state so that the JIT cannot fold them into constants.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RequestPathBenchmark {

    /** No dot, no escape, no query: the shortest way through parse. */
    public String plainNoDot = "/user/u00042/api/kernels/6b2f0c1e-4f5d-4c1a-9d3e-2a7b8c9d0e1f/channels";
    /** A notebook path: the file extension's dot is not a dot segment. */
    public String plain = "/user/u00042/lab/tree/x.ipynb";
    public String withQuery = "/user/u00042/api/contents/work/x.ipynb?content=1&_=1700000000000";
    public String escapedAscii = "/user/u00042/files/My%20Notebook%20(copy).ipynb";
    public String escapedUtf8 = "/user/u00042/lab/tree/%C3%A9t%C3%A9/donn%C3%A9es%20brutes.ipynb";
    public String dotSegments = "/user/u00042/lab/../tree/./work/x.ipynb";

    public String cleanAlready = "/user/u00042";
    public String cleanTrailingSlash = "/user/u00042/";
    public String cleanNoLeadingSlash = "user/u00042";

    private Route route;
    private RequestPath forUpstream;

    @Setup
    public void setUp() throws RequestPath.MalformedPathException {
        route = JupyterHubRoutes.table(100).get("/user/u00042");
        forUpstream = RequestPath.parse(withQuery);
        String on = forUpstream.upstreamUri(route, true, true, false);
        String off = forUpstream.upstreamUri(route, false, true, false);
        if (!on.equals(withQuery) || !off.equals("/api/contents/work/x.ipynb?content=1&_=1700000000000")) {
            throw new IllegalStateException("unexpected upstream URIs: " + on + " / " + off);
        }
    }

    @Benchmark
    public RequestPath parsePlainNoDot() throws RequestPath.MalformedPathException {
        return RequestPath.parse(plainNoDot);
    }

    @Benchmark
    public RequestPath parsePlain() throws RequestPath.MalformedPathException {
        return RequestPath.parse(plain);
    }

    @Benchmark
    public RequestPath parseWithQuery() throws RequestPath.MalformedPathException {
        return RequestPath.parse(withQuery);
    }

    @Benchmark
    public RequestPath parseEscapedAscii() throws RequestPath.MalformedPathException {
        return RequestPath.parse(escapedAscii);
    }

    @Benchmark
    public RequestPath parseEscapedUtf8() throws RequestPath.MalformedPathException {
        return RequestPath.parse(escapedUtf8);
    }

    @Benchmark
    public RequestPath parseDotSegments() throws RequestPath.MalformedPathException {
        return RequestPath.parse(dotSegments);
    }

    @Benchmark
    public String upstreamUriPrefixKept() {
        return forUpstream.upstreamUri(route, true, true, false);
    }

    @Benchmark
    public String upstreamUriPrefixStripped() {
        return forUpstream.upstreamUri(route, false, true, false);
    }

    @Benchmark
    public String cleanAlreadyClean() {
        return RoutePaths.clean(cleanAlready);
    }

    @Benchmark
    public String cleanTrailingSlash() {
        return RoutePaths.clean(cleanTrailingSlash);
    }

    @Benchmark
    public String cleanNoLeadingSlash() {
        return RoutePaths.clean(cleanNoLeadingSlash);
    }
}
