package io.hubgate.metrics;

import java.util.List;
import java.util.Set;

/**
 * CHP's own metric names, help texts and exposition order (chp-behaviour §5, decision Q21). Kept in one
 * place because the recorder and the text writer must agree on them exactly.
 */
final class ChpMetricNames {

    static final String API_ROUTE_GET = "api_route_get";
    static final String API_ROUTE_ADD = "api_route_add";
    static final String API_ROUTE_DELETE = "api_route_delete";
    static final String FIND_TARGET_FOR_REQ = "find_target_for_req";
    static final String LAST_ACTIVITY_UPDATING = "last_activity_updating";
    static final String REQUESTS_WS = "requests_ws";
    static final String REQUESTS_WEB = "requests_web";
    static final String REQUESTS_PROXY = "requests_proxy";
    static final String REQUESTS_API = "requests_api";

    /** The label of {@code requests_proxy} and {@code requests_api}. */
    static final String STATUS_LABEL = "status";

    /** CHP registers (and prom-client prints) its metrics in this order. */
    static final List<String> EXPOSITION_ORDER = List.of(
            API_ROUTE_GET, API_ROUTE_ADD, API_ROUTE_DELETE,
            FIND_TARGET_FOR_REQ, LAST_ACTIVITY_UPDATING,
            REQUESTS_WS, REQUESTS_WEB, REQUESTS_PROXY, REQUESTS_API);

    /** prom-client prints counter names as given, so these keep their name without {@code _total}. */
    static final Set<String> COUNTERS = Set.of(
            API_ROUTE_GET, API_ROUTE_ADD, API_ROUTE_DELETE,
            REQUESTS_WS, REQUESTS_WEB, REQUESTS_PROXY, REQUESTS_API);

    // Help texts exactly as CHP declares them.
    static final String HELP_API_ROUTE_GET = "Count of API route get requests";
    static final String HELP_API_ROUTE_ADD = "Count of API route add requests";
    static final String HELP_API_ROUTE_DELETE = "Count of API route delete requests";
    static final String HELP_FIND_TARGET_FOR_REQ = "Summary of find target requests";
    static final String HELP_LAST_ACTIVITY_UPDATING = "Summary of last activity updating requests";
    static final String HELP_REQUESTS_WS = "Count of websocket requests";
    static final String HELP_REQUESTS_WEB = "Count of web requests";
    static final String HELP_REQUESTS_PROXY = "Count of proxy requests";
    static final String HELP_REQUESTS_API = "Count of API requests";

    private ChpMetricNames() {
    }
}
