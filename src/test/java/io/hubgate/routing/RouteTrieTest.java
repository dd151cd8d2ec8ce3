package io.hubgate.routing;

import static io.hubgate.routing.TestRoutes.keyed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CHP's URL-trie spec ({@code test/trie_spec.js}, chp-behaviour §8.5), every case re-expressed against
 * {@link RouteTrie} and, where the table adds something (key normalisation), {@link RouteTable}. CHP's
 * {@code get(path).prefix} is our matched {@code Route.path()}; CHP's node {@code size} is the number of child
 * nodes, which the tests read through {@link RouteTrie#find}.
 */
class RouteTrieTest {

    static final List<String> FIXTURE = List.of("/1", "/2", "/a/b/c/d", "/a/b/d", "/a/b/e", "/b", "/b/c", "/b/c/d");

    RouteTrie trie;

    @BeforeEach
    void setUp() {
        trie = new RouteTrie();
    }

    void add(String... keys) {
        for (String k : keys) {
            trie.put(keyed(k));
        }
    }

    String match(String path) {
        Route r = trie.lookup(path);
        return r == null ? null : r.path();
    }

    int size(String key) {
        return trie.find(key).childCount();
    }

    @Nested
    class Init {

        @Test
        void emptyTrieHasNoDataAndNoBranches() {
            assertThat(size("/")).isZero();
            assertThat(trie.find("/").route).isNull();
            assertThat(match("/")).isNull();
            assertThat(match("")).isNull();
            assertThat(match("/anything/at/all")).isNull();
        }
    }

    @Nested
    class Root {

        @Test
        void rootRouteMatchesEverything() {
            add("/");
            assertThat(match("/1/etc/etc/")).isEqualTo("/");
            assertThat(match("/")).isEqualTo("/");
            assertThat(match("")).isEqualTo("/");
            assertThat(match("//")).isEqualTo("/");
        }
    }

    @Nested
    class Add {

        @Test
        void keyWithoutLeadingSlashCreatesABranch() {
            // The trie splits "foo" and "/foo" alike; the table normalises the key to "/foo" first (§3.4).
            add("foo");
            assertThat(size("/")).isEqualTo(1);
            assertThat(trie.find("/foo")).isNotNull();
            assertThat(match("/foo/x")).isEqualTo("foo");

            RouteTable table = new RouteTable();
            table.put(keyed(RoutePaths.clean("foo")), 1);
            assertThat(table.lookup("/foo/x").path()).isEqualTo("/foo");
        }

        @Test
        void nestedKeyWithoutLeadingSlash() {
            add("bar/leaf");
            assertThat(trie.find("/bar")).isNotNull();
            assertThat(trie.find("/bar").route).isNull();
            assertThat(trie.find("/bar/leaf").route.path()).isEqualTo("bar/leaf");
            assertThat(match("/bar/leaf")).isEqualTo("bar/leaf");
        }

        @Test
        void deepKeyCreatesIntermediateNodesWithoutData() {
            add("/a/b/c/d");
            assertThat(size("/")).isEqualTo(1);
            for (String intermediate : List.of("/a", "/a/b", "/a/b/c")) {
                assertThat(trie.find(intermediate)).as(intermediate).isNotNull();
                assertThat(trie.find(intermediate).route).as(intermediate).isNull();
                assertThat(size(intermediate)).as(intermediate).isEqualTo(1);
            }
            assertThat(trie.find("/a/b/c/d").route.path()).isEqualTo("/a/b/c/d");
            assertThat(size("/a/b/c/d")).isZero();
        }

        @Test
        void putAgainReplacesTheData() {
            Route first = keyed("/x");
            Route second = keyed("/x");
            trie.put(first);
            trie.put(second);
            assertThat(trie.lookup("/x/y")).isSameAs(second);
            assertThat(size("/")).isEqualTo(1);
        }
    }

    @Nested
    class Get {

        @BeforeEach
        void fixture() {
            FIXTURE.forEach(RouteTrieTest.this::add);
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', nullValues = "undefined", textBlock = """
                /not/found         | undefined
                /1                 | /1
                /1/etc/etc/        | /1
                /2                 | /2
                /a                 | undefined
                /a/b               | undefined
                /a/b/c             | undefined
                /a/b/c/d           | /a/b/c/d
                /a/b/c/d/e/f       | /a/b/c/d
                /a/b/d             | /a/b/d
                /a/b/e/x           | /a/b/e
                /a/b/f             | undefined
                /b                 | /b
                /b/c/d/word        | /b/c/d
                /b/c/dword         | /b/c
                /b/cword           | /b
                /bword             | undefined
                /B                 | undefined
                /b/C               | /b
                /b/                | /b
                /b//               | /b
                //b/c              | /b/c
                /b//c              | /b
                /b/c?q             | /b
                """)
        void longestPrefixByWholeSegments(String path, String expected) {
            assertThat(match(path)).isEqualTo(expected);
        }

        @Test
        void rootSizeCountsFirstSegments() {
            assertThat(size("/")).isEqualTo(4); // 1, 2, a, b
            assertThat(size("/a/b")).isEqualTo(3); // c, d, e
        }
    }

    @Nested
    class Remove {

        @BeforeEach
        void fixture() {
            FIXTURE.forEach(RouteTrieTest.this::add);
        }

        @Test
        void removingAnInnerRouteKeepsItsBranches() {
            int rootSize = size("/");
            int bSize = size("/b");
            trie.remove("/b");
            assertThat(size("/")).isEqualTo(rootSize);
            assertThat(size("/b")).isEqualTo(bSize);
            assertThat(match("/b/just-b")).isNull();
            assertThat(match("/b/c/sub-still-here")).isEqualTo("/b/c");
        }

        @Test
        void removingALeafPrunesItsDatalessBranch() {
            assertThat(size("/a/b")).isEqualTo(3);
            trie.remove("/a/b/c/d");
            assertThat(size("/a/b")).isEqualTo(2);
            assertThat(trie.find("/a/b/c")).isNull();
            assertThat(match("/a/b/c/d")).isNull();
            assertThat(match("/a/b/d")).isEqualTo("/a/b/d");
        }

        @Test
        void pruningStopsAtANodeWithData() {
            trie.remove("/b/c/d");
            assertThat(trie.find("/b/c/d")).isNull();
            assertThat(trie.find("/b/c")).isNotNull();
            assertThat(size("/b/c")).isZero();
            trie.remove("/b/c");
            assertThat(trie.find("/b/c")).isNull();
            assertThat(size("/b")).isZero();
            assertThat(match("/b/c")).isEqualTo("/b");
            trie.remove("/b");
            assertThat(trie.find("/b")).isNull();
            assertThat(size("/")).isEqualTo(3);
        }

        @Test
        void removingTheLastRouteOfADeepBranchPrunesUpToTheRoot() {
            trie.remove("/a/b/c/d");
            trie.remove("/a/b/d");
            trie.remove("/a/b/e");
            assertThat(trie.find("/a")).isNull();
            assertThat(size("/")).isEqualTo(3);
        }

        @Test
        void removingTheRootClearsOnlyTheRootData() {
            add("/");
            assertThat(match("/zzz")).isEqualTo("/");
            trie.remove("/");
            assertThat(match("/zzz")).isNull();
            assertThat(trie.find("/").route).isNull();
            assertThat(match("/1")).isEqualTo("/1");
        }

        @Test
        void removingUnknownPathsIsANoOp() {
            trie.remove("/not/there");
            trie.remove("/a/b/c/d/e");
            trie.remove("/a/b/c"); // a data-less intermediate node
            assertThat(match("/a/b/c/d")).isEqualTo("/a/b/c/d");
            assertThat(size("/")).isEqualTo(4);
            assertThat(size("/a/b/c")).isEqualTo(1);
        }
    }

    @Nested
    class SubPaths {

        @Test
        void intermediatePathsFallBackToTheRootUntilTheyGetData() {
            add("/", "/prefix/sub/tree");
            assertThat(match("/prefix")).isEqualTo("/");
            assertThat(match("/prefix/sub")).isEqualTo("/");
            add("/prefix");
            assertThat(match("/prefix")).isEqualTo("/prefix");
            assertThat(match("/prefix/sub")).isEqualTo("/prefix");
            assertThat(match("/prefix/sub/tree")).isEqualTo("/prefix/sub/tree");
            assertThat(match("/prefix/sub/tree/x")).isEqualTo("/prefix/sub/tree");
        }
    }

    @Nested
    class RemoveFirstLeaf {

        @Test
        void removingALeafWithTrailingSlashKeepsTheRoot() {
            add("/", "/prefix");
            trie.remove("/prefix/");
            assertThat(match("/prefix/sub")).isEqualTo("/");
            assertThat(trie.find("/prefix")).isNull();
            assertThat(trie.find("/").route.path()).isEqualTo("/");
        }

        @Test
        void sameThroughTheTable() {
            RouteTable table = new RouteTable();
            table.put(keyed("/"), 1);
            table.put(keyed("/prefix"), 2);
            assertThat(table.remove(RoutePaths.clean("/prefix/"), 3)).isNotNull();
            assertThat(table.lookup("/prefix/sub").path()).isEqualTo("/");
        }
    }

    @Test
    void segmentsStripLeadingAndTrailingSlashesOnly() {
        assertThat(RouteTrie.segments("/")).isEmpty();
        assertThat(RouteTrie.segments("")).isEmpty();
        assertThat(RouteTrie.segments("///")).isEmpty();
        assertThat(RouteTrie.segments("/a")).containsExactly("a");
        assertThat(RouteTrie.segments("a/b/")).containsExactly("a", "b");
        assertThat(RouteTrie.segments("//dbl//x//")).containsExactly("dbl", "", "x");
    }

    @Test
    void canonicalKeyIsTheSegmentsWithOneLeadingSlash() {
        assertThat(RouteTrie.canonicalKey("/")).isEqualTo("/");
        assertThat(RouteTrie.canonicalKey("//")).isEqualTo("/");
        assertThat(RouteTrie.canonicalKey("/a")).isEqualTo("/a");
        assertThat(RouteTrie.canonicalKey("//a")).isEqualTo("/a");
        assertThat(RouteTrie.canonicalKey("/a/")).isEqualTo("/a");
        assertThat(RouteTrie.canonicalKey("//dbl//x")).isEqualTo("/dbl//x");
        assertThat(RouteTrie.canonicalKey("a")).isEqualTo("/a");
        String canonical = "/user/alice";
        assertThat(RouteTrie.canonicalKey(canonical)).isSameAs(canonical);
    }

    @Test
    void exactDoesNotMatchPrefixes() {
        add("/a", "/a/b/c");
        assertThat(trie.exact("/a").path()).isEqualTo("/a");
        assertThat(trie.exact("/a/b")).isNull();
        assertThat(trie.exact("/a/b/c/d")).isNull();
        assertThat(trie.exact("/a/b/c").path()).isEqualTo("/a/b/c");
    }
}
