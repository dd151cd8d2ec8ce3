package io.hubgate.routing;

import static io.hubgate.routing.TestRoutes.keyed;
import static io.hubgate.routing.TestRoutes.route;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link RouteTable}: CHP's MemoryStore semantics that apply to the table (chp-behaviour §8.4), insertion order,
 * activity cells, and keys that share a trie node (§3.4).
 */
class RouteTableTest {

    final RouteTable table = new RouteTable();

    List<String> keys() {
        List<String> keys = new ArrayList<>();
        table.forEach(r -> keys.add(r.path()));
        return keys;
    }

    String match(String path) {
        Route r = table.lookup(path);
        return r == null ? null : r.path();
    }

    /** §8.4, re-expressed: what CHP's store spec checks, against the table. */
    @Nested
    class StoreSemantics {

        @Test
        void getReturnsTheRouteForAPath() {
            Route r = route("/myRoute", "http://localhost:8213");
            table.put(r, 1);
            assertThat(table.get("/myRoute")).isSameAs(r);
        }

        @Test
        void getReturnsNullWhenNotFound() {
            assertThat(table.get("/wut")).isNull();
            table.put(keyed("/myRoute"), 1);
            assertThat(table.get("/myRoute/sub")).isNull(); // exact, not prefix
            assertThat(table.get("/")).isNull();
        }

        @Test
        void lookupReturnsPrefixAndTarget() {
            table.put(route("/myRoute", "http://localhost:8213"), 1);
            Route r = table.lookup("/myRoute");
            assertThat(r.path()).isEqualTo("/myRoute");
            assertThat(r.target().raw()).isEqualTo("http://localhost:8213");
            assertThat(table.lookup("/myRoute/x?y").path()).isEqualTo("/myRoute");
        }

        @Test
        void forEachVisitsAllRoutes() {
            table.put(keyed("/myRoute"), 1);
            table.put(keyed("/myOtherRoute"), 2);
            assertThat(keys()).containsExactly("/myRoute", "/myOtherRoute");
            assertThat(table.size()).isEqualTo(2);
        }

        @Test
        void emptyTableVisitsNothing() {
            assertThat(keys()).isEmpty();
            assertThat(table.size()).isZero();
            assertThat(table.lookup("/")).isNull();
        }

        @Test
        void putOverwritesAnExistingRoute() {
            table.put(route("/myRoute", "http://localhost:8213"), 1);
            Route replacement = route("/myRoute", "http://localhost:8214");
            table.put(replacement, 2);
            assertThat(table.get("/myRoute")).isSameAs(replacement);
            assertThat(table.lookup("/myRoute/x")).isSameAs(replacement);
            assertThat(table.size()).isEqualTo(1);
        }

        @Test
        void removeRemoves() {
            Route r = keyed("/myRoute");
            table.put(r, 1);
            assertThat(table.remove("/myRoute", 2)).isSameAs(r);
            assertThat(table.get("/myRoute")).isNull();
            assertThat(table.lookup("/myRoute")).isNull();
            assertThat(table.size()).isZero();
        }

        @Test
        void removingAnUnknownRouteIsQuiet() {
            table.put(keyed("/myRoute"), 1);
            assertThat(table.remove("/myRoute/foo/bar", 2)).isNull();
            assertThat(table.remove("/", 3)).isNull();
            assertThat(table.get("/myRoute")).isNotNull();
            assertThat(table.lookup("/myRoute/foo/bar").path()).isEqualTo("/myRoute");
            assertThat(table.version()).isEqualTo(3);
        }

        @Test
        void hasRoute() {
            table.put(keyed("/myRoute"), 1);
            assertThat(table.get("/myRoute")).isNotNull();
            assertThat(table.get("/nope")).isNull();
        }

        @Test
        void removingAPrefixRouteUncoversTheNextOne() {
            table.put(keyed("/"), 1);
            table.put(keyed("/user"), 2);
            table.put(keyed("/user/alice"), 3);
            assertThat(match("/user/alice/tree")).isEqualTo("/user/alice");
            table.remove("/user/alice", 4);
            assertThat(match("/user/alice/tree")).isEqualTo("/user");
            table.remove("/user", 5);
            assertThat(match("/user/alice/tree")).isEqualTo("/");
        }

        @Test
        void everyWriteSetsTheVersion() {
            assertThat(table.version()).isZero();
            table.put(keyed("/a"), 7);
            assertThat(table.version()).isEqualTo(7);
            table.remove("/a", 8);
            assertThat(table.version()).isEqualTo(8);
            table.replaceAll(List.of(keyed("/b")), 12);
            assertThat(table.version()).isEqualTo(12);
        }
    }

    @Nested
    class Order {

        @Test
        void insertionOrderIsKeptAcrossReput() {
            table.put(keyed("/a"), 1);
            table.put(keyed("/b"), 2);
            table.put(keyed("/c"), 3);
            table.put(keyed("/a"), 4);
            assertThat(keys()).containsExactly("/a", "/b", "/c");
        }

        @Test
        void aRemovedKeyComesBackAtTheEnd() {
            table.put(keyed("/a"), 1);
            table.put(keyed("/b"), 2);
            table.put(keyed("/c"), 3);
            table.remove("/b", 4);
            table.put(keyed("/b"), 5);
            assertThat(keys()).containsExactly("/a", "/c", "/b");
        }

        @Test
        void replaceAllTakesTheListOrder() {
            table.put(keyed("/a"), 1);
            table.replaceAll(List.of(keyed("/z"), keyed("/a"), keyed("/m")), 2);
            assertThat(keys()).containsExactly("/z", "/a", "/m");
        }

        @Test
        void replaceAllWithADuplicateKeepsFirstPositionAndLastRoute() {
            Route first = keyed("/a");
            Route last = keyed("/a");
            table.replaceAll(List.of(first, keyed("/b"), last), 1);
            assertThat(keys()).containsExactly("/a", "/b");
            assertThat(table.get("/a")).isSameAs(last);
            assertThat(table.lookup("/a")).isSameAs(last);
        }
    }

    @Nested
    class ActivityCells {

        @Test
        void cellForCreatesOnceThenReturnsTheSameCell() {
            ActivityCell cell = table.cellFor("/a", 100);
            assertThat(cell.millis()).isEqualTo(100);
            assertThat(table.cellFor("/a", 200)).isSameAs(cell);
            assertThat(cell.millis()).isEqualTo(100);
        }

        @Test
        void cellIsSharedAcrossReputOfTheSameKey() {
            ActivityCell cell = table.cellFor("/a", 100);
            Route first = route("/a", "http://h:1", cell);
            table.put(first, 1);
            Route second = route("/a", "http://h:2", table.cellFor("/a", 200));
            table.put(second, 2);
            assertThat(second.activity()).isSameAs(first.activity());
            first.activity().touch(500); // a websocket opened before the re-POST keeps reporting activity
            assertThat(table.get("/a").activity().millis()).isEqualTo(500);
        }

        @Test
        void cellIsDroppedOnRemove() {
            ActivityCell cell = table.cellFor("/a", 100);
            table.put(route("/a", "http://h:1", cell), 1);
            table.remove("/a", 2);
            ActivityCell fresh = table.cellFor("/a", 300);
            assertThat(fresh).isNotSameAs(cell);
            assertThat(fresh.millis()).isEqualTo(300);
        }

        @Test
        void removingAnUnknownKeyKeepsOtherCells() {
            ActivityCell cell = table.cellFor("/a", 100);
            table.put(route("/a", "http://h:1", cell), 1);
            table.remove("/b", 2);
            assertThat(table.cellFor("/a", 0)).isSameAs(cell);
        }

        @Test
        void aPutRouteOwnsTheKeysCell() {
            // A route built with its own cell (not from cellFor) must still be the one later routes share.
            ActivityCell own = new ActivityCell(42);
            table.put(route("/a", "http://h:1", own), 1);
            assertThat(table.cellFor("/a", 0)).isSameAs(own);
        }

        @Test
        void replaceAllKeepsCellsOfKeptKeysAndDropsTheOthers() {
            ActivityCell a = table.cellFor("/a", 1);
            ActivityCell b = table.cellFor("/b", 2);
            table.put(route("/a", "http://h:1", a), 1);
            table.put(route("/b", "http://h:1", b), 2);
            table.replaceAll(List.of(route("/a", "http://h:1", table.cellFor("/a", 9)),
                    route("/c", "http://h:1", table.cellFor("/c", 9))), 3);
            assertThat(table.cellFor("/a", 0)).isSameAs(a);
            assertThat(table.cellFor("/b", 5)).isNotSameAs(b);
            assertThat(table.cellFor("/c", 0).millis()).isEqualTo(9);
        }

        @Test
        void replaceAllRegistersTheCellsOfTheNewRoutes() {
            ActivityCell own = new ActivityCell(42);
            table.replaceAll(List.of(route("/a", "http://h:1", own)), 1);
            assertThat(table.cellFor("/a", 0)).isSameAs(own);
        }
    }

    /**
     * §3.4: keys that differ only in leading/trailing slashes ({@code /dbl/x}, {@code //dbl/x}, {@code /dbl/x/})
     * are distinct API keys but one trie node. CHP lets map and trie disagree (removing one key unroutes the other
     * while the API still lists it); the table keeps them in step: the most recently put key routes, and removing
     * it hands the node to the next most recent one.
     */
    @Nested
    class KeysSharingATrieNode {

        @Test
        void lastPutRoutesLikeChp() {
            table.put(keyed("/dbl/x"), 1);
            Route alias = keyed("//dbl/x");
            table.put(alias, 2);
            assertThat(table.lookup("/dbl/x/y")).isSameAs(alias);
            assertThat(keys()).containsExactly("/dbl/x", "//dbl/x");
        }

        @Test
        void removingTheAliasHandsTheNodeBack() {
            Route canonical = keyed("/dbl/x");
            table.put(canonical, 1);
            table.put(keyed("//dbl/x"), 2);
            table.remove("//dbl/x", 3);
            assertThat(table.lookup("/dbl/x/y")).isSameAs(canonical);
        }

        @Test
        void removingTheCanonicalKeyKeepsTheAliasRouted() {
            table.put(keyed("/dbl/x"), 1);
            Route alias = keyed("//dbl/x");
            table.put(alias, 2);
            table.remove("/dbl/x", 3);
            assertThat(table.lookup("/dbl/x/y")).isSameAs(alias);
            table.remove("//dbl/x", 4);
            assertThat(table.lookup("/dbl/x/y")).isNull();
        }

        @Test
        void removingAnOlderKeyLeavesTheNewestRouting() {
            Route canonical = keyed("/dbl/x");
            table.put(keyed("//dbl/x"), 1);
            table.put(canonical, 2);
            table.remove("//dbl/x", 3);
            assertThat(table.lookup("/dbl/x")).isSameAs(canonical);
        }

        @Test
        void mostRecentlyPutRemainingKeyTakesOver() {
            Route a = keyed("/a");
            Route b = keyed("//a");
            Route c = keyed("/a/");
            table.put(a, 1);
            table.put(b, 2);
            table.put(c, 3);
            table.put(a, 4); // re-put: a is now the most recent
            assertThat(table.lookup("/a")).isSameAs(a);
            table.remove("/a", 5);
            assertThat(table.lookup("/a")).isSameAs(c);
            table.remove("/a/", 6);
            assertThat(table.lookup("/a")).isSameAs(b);
            table.put(a, 7);
            table.remove("//a", 8);
            assertThat(table.lookup("/a")).isSameAs(a);
            table.remove("/a", 9);
            assertThat(table.lookup("/a")).isNull();
            assertThat(table.size()).isZero();
        }

        @Test
        void rootAndDoubleSlashRoot() {
            Route root = keyed("/");
            Route doubled = keyed(RoutePaths.clean("///")); // "//": POST /api/routes/// cleans to it
            table.put(root, 1);
            table.put(doubled, 2);
            assertThat(table.lookup("/x")).isSameAs(doubled);
            table.remove("//", 3);
            assertThat(table.lookup("/x")).isSameAs(root);
        }

        @Test
        void replaceAllTracksSharedNodesToo() {
            Route canonical = keyed("/dbl/x");
            Route alias = keyed("//dbl/x");
            table.replaceAll(List.of(canonical, alias), 1);
            assertThat(table.lookup("/dbl/x")).isSameAs(alias);
            table.remove("//dbl/x", 2);
            assertThat(table.lookup("/dbl/x")).isSameAs(canonical);
        }

        @Test
        void innerDoubleSlashIsADifferentNode() {
            table.put(keyed("/dbl/x"), 1);
            table.put(keyed("/dbl//x"), 2);
            assertThat(match("/dbl/x")).isEqualTo("/dbl/x");
            assertThat(match("/dbl//x")).isEqualTo("/dbl//x");
            table.remove("/dbl//x", 3);
            assertThat(match("/dbl/x")).isEqualTo("/dbl/x");
            assertThat(match("/dbl//x")).isNull();
        }
    }
}
