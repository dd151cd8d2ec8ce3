package io.hubgate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.routing.RequestPath.MalformedPathException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * chp-behaviour §4.5's table of verified upstream paths, driven through {@link RequestPath#parse},
 * {@link RouteTable#lookup}, {@link RequestPath#stripSegments} and {@link RequestPath#join} combined exactly as
 * {@code ClientToProxyHandler#upstreamUri} and {@code #lookupPath} combine them (mirrored in {@link #upstream}).
 *
 * <p>Deliberate differences from CHP, each marked in the table: Q6 (no-include-prefix strips exactly the route's
 * segments, however encoded, and never the host segment) and Q7 ({@code //x/bar/zz} is routed <em>and</em>
 * forwarded as {@code /x/bar/zz}; CHP routed it by {@code /bar/zz} and forwarded {@code /foo//x/bar/zz}).
 */
class UpstreamUriTest {

    @ParameterizedTest(name = "[{index}] {0} via {1} -> {2} ({3}{4}) = {5}")
    @CsvSource(delimiter = '|', textBlock = """
            # request                   | route          | target                | options             | host      | upstream
            # --- chp-behaviour §4.5, verified against CHP ---
            /bar/rest/of/it             | /bar           | http://h/foo          | default             |           | /foo/bar/rest/of/it
            /bar?query=foo              | /bar           | http://h/foo          | default             |           | /foo/bar?query=foo
            /bar/                       | /bar           | http://h/foo          | default             |           | /foo/bar/
            /b%40r/b%20r/rest/of/it     | /b@r/b r       | http://h/foo          | default             |           | /foo/b%40r/b%20r/rest/of/it
            /b@r/b%20r/rest/of/it       | /b@r/b r       | http://h/foo          | default             |           | /foo/b@r/b%20r/rest/of/it
            /bar/rest/of/it             | /bar           | http://h/foo          | no-prepend-path     |           | /bar/rest/of/it
            /bar/rest/of/it             | /bar           | http://h/foo          | no-include-prefix   |           | /foo/rest/of/it
            /bar/rest/of/it             | /bar           | http://h/foo          | both-off            |           | /rest/of/it
            /bar?x=1                    | /bar           | http://h/foo          | both-off            |           | /?x=1
            /bar                        | /bar           | http://h/foo          | both-off            |           | /
            /some/path                  | /h.example     | http://h              | default             | h.example | /some/path
            # Q7 (CHP: /foo//x/bar/zz): the request is /x/bar/zz for routing and forwarding, so /bar does not match
            //x/bar/zz                  | /bar           | http://h/foo          | default             |           | 404
            //x/bar/zz                  | /              | http://h/foo          | default             |           | /foo/x/bar/zz
            ///bar/zz                   | /bar           | http://h/foo          | default             |           | /foo/bar/zz
            ///bar/zz                   | /bar           | http://h/foo          | both-off            |           | /zz
            /.//bar/zz                  | /bar           | http://h/foo          | default             |           | /foo/bar/zz
            # Q6 (CHP: /0b/rest and /jklmnop/q): strip exactly the matched route's segments
            /user/a%40b/rest            | /user/a@b      | http://h              | no-include-prefix   |           | /rest
            /user/a%40b/rest?x=1        | /user/a@b      | http://h/foo          | no-include-prefix   |           | /foo/rest?x=1
            /abcdefghijklmnop/q         | /h.example     | http://h              | no-include-prefix   | h.example | /abcdefghijklmnop/q
            /sub/x                      | /h.example/sub | http://h              | no-include-prefix   | h.example | /x
            /sub/x                      | /h.example/sub | http://h/foo          | default             | h.example | /foo/sub/x
            /a%2Fb/rest                 | /a             | http://h              | no-include-prefix   |           | /b/rest
            /a%2Fb/rest                 | /a/b           | http://h              | no-include-prefix   |           | /rest
            # more of the same rules
            /bar/x/../y                 | /bar           | http://h/foo          | default             |           | /foo/bar/y
            /x/../bar/zz                | /bar           | http://h/foo          | default             |           | /foo/bar/zz
            /ba%72/zz                   | /bar           | http://h/foo          | default             |           | /foo/ba%72/zz
            /ba%72/zz                   | /bar           | http://h/foo          | no-include-prefix   |           | /foo/zz
            /bar?b=2                    | /bar           | http://h/foo?a=1      | default             |           | /foo/bar?a=1&b=2
            /bar?b=2                    | /bar           | http://h/foo?a=1      | both-off            |           | /?b=2
            /bar?b=2                    | /bar           | http://h/foo?a=1      | no-include-prefix   |           | /foo?a=1&b=2
            /bar/                       | /bar           | http://h/foo/         | no-include-prefix   |           | /foo/
            /bar                        | /bar           | http://h/foo/         | default             |           | /foo/bar
            /                           | /              | http://h              | default             |           | /
            /?q                         | /              | http://h/hub/         | default             |           | /hub/?q
            /barbaz                     | /bar           | http://h/foo          | default             |           | 404
            /BAR                        | /bar           | http://h/foo          | default             |           | 404
            /user/%E7%A7%80%E6%A8%B9/lab | /user/秀樹     | http://h              | no-include-prefix   |           | /lab
            /user/%E7%A7%80%E6%A8%B9/lab | /user/秀樹     | http://h              | default             |           | /user/%E7%A7%80%E6%A8%B9/lab
            /other                      | /h.example     | http://h              | default             | other.example | 404
            """)
    void upstreamPath(String request, String routeKey, String target, String options, String host, String expected)
            throws MalformedPathException {
        boolean includePrefix = !options.equals("no-include-prefix") && !options.equals("both-off");
        boolean prependPath = !options.equals("no-prepend-path") && !options.equals("both-off");
        RouteTable table = new RouteTable();
        table.put(TestRoutes.route(routeKey, target), 1);

        RequestPath path = RequestPath.parse(request);
        String lookupPath = host == null ? path.decodedPath() : "/" + host + path.decodedPath();
        Route route = table.lookup(lookupPath);
        if (expected.equals("404")) {
            assertThat(route).isNull();
            return;
        }
        assertThat(route).isNotNull();
        assertThat(upstream(path, route, includePrefix, prependPath, host != null)).isEqualTo(expected);
    }

    static String upstream(RequestPath path, Route route, boolean includePrefix, boolean prependPath,
                           boolean hostRouting) {
        return path.upstreamUri(route, includePrefix, prependPath, hostRouting);
    }
}
