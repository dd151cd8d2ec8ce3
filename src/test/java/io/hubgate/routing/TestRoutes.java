package io.hubgate.routing;

/** Builds {@link Route} objects for routing tests (the JSON fragments do not matter here). */
final class TestRoutes {

    private TestRoutes() {
    }

    static Route route(String key, String target) {
        return route(key, target, new ActivityCell(0));
    }

    static Route route(String key, String target, ActivityCell cell) {
        return new Route(key, Target.parse(target), "{\"target\":\"" + target + "\"}",
                "{\"target\":\"" + target + "\",\"last_activity\":\"", "\"}", cell);
    }

    /** A route whose target encodes its key, so a test can tell which route matched. */
    static Route keyed(String key) {
        return route(key, "http://127.0.0.1:8000/t");
    }
}
