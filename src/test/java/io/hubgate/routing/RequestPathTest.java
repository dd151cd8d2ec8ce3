package io.hubgate.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hubgate.routing.RequestPath.MalformedPathException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RequestPath}: request-target parsing, percent-decoding, dot segments, prefix stripping and joining
 * (chp-behaviour §4.3, §4.5, Q6, Q7). Expected values of {@code decode} and of the WHATWG-style path handling
 * were checked against Node ({@code decodeURIComponent}, {@code new URL(u, base).pathname}).
 */
class RequestPathTest {

    @Nested
    class Parse {

        @ParameterizedTest(name = "{0} -> path {1}, query {2}, decoded {3}")
        @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
                /a/b?x=1                 | /a/b               | ?x=1      | /a/b
                /                        | /                  |           | /
                ''                       | /                  |           | /
                ?x=1                     | /                  | ?x=1      | /
                /bar?                    | /bar               | ?         | /bar
                /ba%72/zz                | /ba%72/zz          |           | /bar/zz
                /a%2Fb                   | /a%2Fb             |           | /a/b
                /b%40r/b%20r             | /b%40r/b%20r       |           | /b@r/b r
                /a+b                     | /a+b               |           | /a+b
                /user/%E7%A7%80%E6%A8%B9 | /user/%E7%A7%80%E6%A8%B9 |     | /user/秀樹
                /bar/                    | /bar/              |           | /bar/
                /a//b                    | /a//b              |           | /a//b
                /a#frag                  | /a                 |           | /a
                /a?q=1#frag              | /a                 | ?q=1      | /a
                /a?q=/../x               | /a                 | ?q=/../x  | /a
                /a/./b?x=./y             | /a/b               | ?x=./y    | /a/b
                """)
        void splitsPathAndQuery(String uri, String raw, String nullableQuery, String decoded) throws Exception {
            String query = nz(nullableQuery);
            RequestPath p = RequestPath.parse(uri);
            assertThat(p.rawPath()).isEqualTo(raw);
            assertThat(p.query()).isEqualTo(query);
            assertThat(p.decodedPath()).isEqualTo(decoded);
            assertThat(p.rawPathAndQuery()).isEqualTo(raw + query);
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
                /x/../bar/zz     | /bar/zz
                /a/%2e%2E/b      | /b
                /a/.%2E/b        | /b
                /a/%2E./b        | /b
                /a/%2e/b         | /a/b
                /a/b/..          | /a/
                /a/b/.           | /a/b/
                /a/%2e/          | /a/
                /a/b/%2E%2E      | /a/
                /..              | /
                /../../a         | /a
                /a//../b         | /a/b
                /a/...           | /a/...
                /a/.b/c.         | /a/.b/c.
                /a/%2e%2e%2e     | /a/%2e%2e%2e
                """)
        void resolvesDotSegmentsAsTheWhatwgParserDoes(String uri, String expected) throws Exception {
            RequestPath p = RequestPath.parse(uri);
            assertThat(p.rawPath()).isEqualTo(expected);
            assertThat(p.decodedPath()).isEqualTo(RequestPath.decode(expected));
        }

        @Test
        void encodedSlashIsNotASegmentBoundaryForDotSegments() throws Exception {
            // WHATWG leaves "..%2f" alone; decoding afterwards yields a literal ".." segment (no re-resolution).
            RequestPath p = RequestPath.parse("/a/..%2f/b");
            assertThat(p.rawPath()).isEqualTo("/a/..%2f/b");
            assertThat(p.decodedPath()).isEqualTo("/a/..//b");
        }

        /** Q7: leading slashes collapse to one, and the routed path is the forwarded path. */
        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
                //x/bar/zz    | /x/bar/zz
                ///x/bar      | /x/bar
                //            | /
                ///           | /
                /.//x/bar     | /x/bar
                /a/..//x      | /x
                /%2e//x       | /x
                //..//x       | /x
                """)
        void leadingSlashesCollapseToOne(String uri, String expected) throws Exception {
            RequestPath p = RequestPath.parse(uri);
            assertThat(p.rawPath()).isEqualTo(expected);
            assertThat(p.decodedPath()).isEqualTo(expected);
            assertThat(p.rawPathAndQuery()).isEqualTo(expected);
        }

        @Test
        void leadingSlashesCollapseWithQuery() throws Exception {
            RequestPath p = RequestPath.parse("//?q=//x");
            assertThat(p.rawPath()).isEqualTo("/");
            assertThat(p.query()).isEqualTo("?q=//x");
        }

        /** Node's URL parser treats {@code \} as {@code /} in http URLs, for routing and for forwarding alike. */
        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
                /a\\b          | /a/b
                /a\\..\\b      | /b
                /\\x/bar       | /x/bar
                \\\\x/bar      | /x/bar
                """)
        void backslashIsASlash(String uri, String expected) throws Exception {
            RequestPath p = RequestPath.parse(uri);
            assertThat(p.rawPath()).isEqualTo(expected);
            assertThat(p.decodedPath()).isEqualTo(expected);
        }

        @Test
        void backslashInQueryIsKept() throws Exception {
            RequestPath p = RequestPath.parse("/a?x=\\..\\y");
            assertThat(p.rawPath()).isEqualTo("/a");
            assertThat(p.query()).isEqualTo("?x=\\..\\y");
        }

        @Test
        void encodedBackslashStaysData() throws Exception {
            RequestPath p = RequestPath.parse("/a%5C..%5Cb");
            assertThat(p.rawPath()).isEqualTo("/a%5C..%5Cb");
            assertThat(p.decodedPath()).isEqualTo("/a\\..\\b");
        }

        @ParameterizedTest(name = "{0} -> {1} {2}")
        @CsvSource(delimiter = '|', textBlock = """
                http://h/p?q=1           | /p        | ?q=1
                http://h                 | /         |
                http://h?q=1             | /         | ?q=1
                http://h:8080/           | /         |
                HTTPS://h:8443/a/../b    | /b        |
                http://u:pw@h/p          | /p        |
                http://h//x/y            | /x/y      |
                http://h#a/b             | /         |
                http://h/p#a/b?c         | /p        |
                http://h?q=/x            | /         | ?q=/x
                http://[::1]:80/p        | /p        |
                """)
        void absoluteFormRoutesByItsPath(String uri, String raw, String nullableQuery) throws Exception {
            String query = nz(nullableQuery);
            RequestPath p = RequestPath.parse(uri);
            assertThat(p.rawPath()).isEqualTo(raw);
            assertThat(p.query()).isEqualTo(query);
            assertThat(p.decodedPath()).isEqualTo(raw);
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
                *          | /*
                foo        | /foo
                foo/bar    | /foo/bar
                a/b://c    | /a/b://c
                1http://h  | /1http://h
                """)
        void relativeTargetsGetALeadingSlash(String uri, String expected) throws Exception {
            // As new URL(uri, base) does: everything that is not an absolute URL is a path.
            assertThat(RequestPath.parse(uri).rawPath()).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"/%", "/a%", "/a%4", "/%zz", "/%C3%28", "/%C3", "/%ED%A0%80", "/x/%FF/y",
                "/%E2%82%ACx%E2"})
        void malformedEncodingIsRejected(String uri) {
            assertThatThrownBy(() -> RequestPath.parse(uri))
                    .isInstanceOf(MalformedPathException.class)
                    .hasMessage("URI malformed");
        }

        @Test
        void malformedEncodingInTheQueryIsNotOurBusiness() throws Exception {
            RequestPath p = RequestPath.parse("/a?x=%zz");
            assertThat(p.decodedPath()).isEqualTo("/a");
            assertThat(p.query()).isEqualTo("?x=%zz");
        }
    }

    @Nested
    class Decode {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
                abc                      | abc
                ''                       | ''
                a+b                      | a+b
                %2B                      | +
                %2b%2F%2f                | +//
                %41%42                   | AB
                %c3%a9                   | é
                %C3%A9                   | é
                é%20                     | 'é '
                %E2%82%AC                | €
                %F0%9F%98%80             | 😀
                %F4%8F%BF%BF             | \uDBFF\uDFFF
                /user/%E7%A7%80%E6%A8%B9 | /user/秀樹
                x%E2%82%ACy%40z          | x€y@z
                %25                      | %
                %2541                    | %41
                """)
        void decodesLikeDecodeURIComponent(String in, String expected) throws Exception {
            assertThat(RequestPath.decode(in)).isEqualTo(expected);
        }

        @Test
        void decodesNul() throws Exception {
            assertThat(RequestPath.decode("a%00b")).isEqualTo("a\u0000b");
        }

        @Test
        void returnsTheSameInstanceWhenThereIsNothingToDecode() throws Exception {
            String s = "/plain/path";
            assertThat(RequestPath.decode(s)).isSameAs(s);
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "%", "%4", "ab%", "%zz", "%4G", "%G4", "%%41", "% 41",
                "%C3",            // truncated 2-byte sequence
                "%C3%28",         // bad continuation byte
                "%C3x",           // continuation missing
                "%E2%82",         // truncated 3-byte sequence
                "%E2%82%ACx%E2",  // good then truncated
                "%F0%9F%98",      // truncated 4-byte sequence
                "%80",            // lone continuation byte
                "%FF", "%FE",     // never valid in UTF-8
                "%C0%AF",         // overlong '/'
                "%E0%80%AF",      // overlong '/'
                "%ED%A0%80",      // UTF-16 surrogate
                "%F4%90%80%80",   // above U+10FFFF
                "%\u0660\u0660",  // Arabic-Indic digits are not hex digits
                "%\uFF10\uFF11",  // nor are full-width digits
                "%\uFF14\uFF21",  // nor full-width letters ("%4A" would be 'J')
        })
        void rejectsWhatDecodeURIComponentRejects(String in) {
            assertThatThrownBy(() -> RequestPath.decode(in))
                    .isInstanceOf(MalformedPathException.class)
                    .hasMessage("URI malformed");
        }
    }

    @Nested
    class RemoveDotSegments {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
                /a/b/c/./../../g     | /a/g
                /mid/content=5/../6  | /mid/6
                /                    | /
                /a/b/                | /a/b/
                /a/.                 | /a/
                /a/..                | /
                /.                   | /
                /%2e                 | /
                /%2E%2e              | /
                /a/%2E%2E/%2e/b/     | /b/
                /a/./                | /a/
                /./a                 | /a
                /a//./b              | /a//b
                /a/b/../../..        | /
                """)
        void followsRfc3986WithEncodedDots(String in, String expected) {
            assertThat(RequestPath.removeDotSegments(in)).isEqualTo(expected);
        }

        @Test
        void returnsTheSameInstanceWhenThereAreNoDots() {
            String s = "/a/b/c";
            assertThat(RequestPath.removeDotSegments(s)).isSameAs(s);
        }
    }

    @Nested
    class StripSegments {

        @ParameterizedTest(name = "{0} minus {1} segments -> ''{2}''")
        @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
                /bar/rest/of/it               | 1 | /rest/of/it
                /bar                          | 1 | ''
                /bar/                         | 1 | /
                /bar                          | 0 | /bar
                /                             | 0 | /
                /a/b/c                        | 3 | ''
                /a                            | 3 | ''
                /user/a%40b/rest              | 2 | /rest
                /b%40r/b%20r/rest/of/it       | 2 | /rest/of/it
                /user/%E7%A7%80%E6%A8%B9/tree | 2 | /tree
                /a%2Fb/rest                   | 2 | /rest
                /a%2fb%2Fc/rest               | 3 | /rest
                /a//b/rest                    | 3 | /rest
                /a//b                         | 1 | //b
                """)
        void stripsDecodedSegments(String uri, int segments, String expected) throws Exception {
            assertThat(RequestPath.parse(uri).stripSegments(segments)).isEqualTo(expected);
        }

        /** Q6: the route is {@code /user/a@b}; CHP sliced the raw URL by the decoded key and sent {@code /0b/rest}. */
        @Test
        void encodedPrefixIsStrippedExactly() throws Exception {
            RequestPath p = RequestPath.parse("/user/a%40b/rest?x=1");
            assertThat(p.decodedPath()).isEqualTo("/user/a@b/rest");
            assertThat(p.stripSegments(RequestPath.segmentCount("/user/a@b"))).isEqualTo("/rest");
        }

        /**
         * A segment boundary that arrives as {@code %2F} inside one raw segment: the route {@code /a} matches the
         * decoded {@code /a/b/rest}, so what remains is {@code /b/rest} (not {@code /rest}: that would drop
         * {@code b}).
         */
        @ParameterizedTest(name = "{0} minus {1} -> {2}")
        @CsvSource(delimiter = '|', textBlock = """
                /a%2Fb/rest         | 1 | /b/rest
                /a%2fb              | 1 | /b
                /a%2Fb%2Fc/rest     | 1 | /b%2Fc/rest
                /a%2Fb%2Fc/rest     | 2 | /c/rest
                /x/a%2Fb/rest       | 2 | /b/rest
                /a%2F%2Fb/x         | 1 | /%2Fb/x
                /a%2F               | 1 | /
                /%40%2Fb            | 1 | /b
                """)
        void encodedSlashInsideASegment(String uri, int segments, String expected) throws Exception {
            RequestPath p = RequestPath.parse(uri);
            String stripped = p.stripSegments(segments);
            assertThat(stripped).isEqualTo(expected);
            // Whatever the encoding, the remainder decodes to the decoded path minus the route's segments.
            assertThat(RequestPath.decode(stripped)).isEqualTo(decodedRemainder(p.decodedPath(), segments));
        }

        @Test
        void queryIsNotPartOfTheResult() throws Exception {
            assertThat(RequestPath.parse("/bar/x?q=1").stripSegments(1)).isEqualTo("/x");
            assertThat(RequestPath.parse("/bar?q=/a/b").stripSegments(1)).isEqualTo("");
        }

        /** Host routing: the route key's first segment is the host, which is not in the request path (Q6 b). */
        @Test
        void hostRoutingStripsOnlyThePathPartOfTheRoute() throws Exception {
            RequestPath p = RequestPath.parse("/abcdefghijklmnop/q");
            assertThat(p.stripSegments(RequestPath.segmentCount("/h.example") - 1)).isEqualTo("/abcdefghijklmnop/q");
            assertThat(p.stripSegments(RequestPath.segmentCount("/h.example/abcdefghijklmnop") - 1))
                    .isEqualTo("/q");
        }

        /** Reference: remove {@code n} segments from a decoded path by CHP's trie split (one leading slash). */
        private String decodedRemainder(String decoded, int n) {
            int pos = 1;
            for (int i = 0; i < n; i++) {
                int slash = decoded.indexOf('/', pos);
                if (slash < 0) {
                    return "";
                }
                pos = slash + 1;
            }
            return decoded.substring(pos - 1);
        }
    }

    /** JUnit passes an unquoted empty CSV column as null. */
    static String nz(String s) {
        return s == null ? "" : s;
    }

    @Test
    void segmentCountFollowsTheTrieSplit() {
        assertThat(RequestPath.segmentCount("/")).isZero();
        assertThat(RequestPath.segmentCount("/a")).isEqualTo(1);
        assertThat(RequestPath.segmentCount("/a/b")).isEqualTo(2);
        assertThat(RequestPath.segmentCount("/user/a@b")).isEqualTo(2);
        assertThat(RequestPath.segmentCount("//dbl//x")).isEqualTo(3);
        assertThat(RequestPath.segmentCount("/a/")).isEqualTo(1);
    }

    /** {@code urlJoin} of http-proxy-3; expected values produced by that function itself. */
    @ParameterizedTest(name = "join({0}, {1}) = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            /foo       | /bar      | /foo/bar
            /foo/      | /bar      | /foo/bar
            /foo       | /         | /foo/
            /          | foo       | /foo
            /foo       | ''        | /foo
            /          | ''        | /
            /          | /         | /
            /foo?a=1   | /bar?b=2  | /foo/bar?a=1&b=2
            /?a=1      | ?b=2      | /?a=1&b=2
            /foo?      | /bar      | /foo/bar
            /foo       | /bar?     | /foo/bar
            /foo//     | //x       | /foo///x
            /foo       | ?x=1      | /foo?x=1
            /foo/      | ?x=1      | /foo/?x=1
            /foo?a     | ?b        | /foo?a&b
            /foo       | bar       | /foo/bar
            /foo/      | bar/      | /foo/bar/
            /a?x=1&y   | /b?z      | /a/b?x=1&y&z
            /a?x=?     | /b?y=?    | /a/b?x=?&y=?
            """)
    void joinMatchesUrlJoin(String target, String request, String expected) {
        assertThat(RequestPath.join(target, request)).isEqualTo(expected);
    }
}
