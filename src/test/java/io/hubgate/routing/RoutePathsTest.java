package io.hubgate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link RoutePaths}: CHP's {@code trimPrefix} key normalisation (chp-behaviour §3.4) and the Q13 check. */
class RoutePathsTest {

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            ''               | /
            /                | /
            //               | /
            ///              | //
            foo              | /foo
            foo/             | /foo
            /foo             | /foo
            /foo/            | /foo
            /foo//           | /foo/
            /user/秀樹        | /user/秀樹
            /A/B             | /A/B
            //dbl//x         | //dbl//x
            '/a b'           | '/a b'
            /a%40b           | /a%40b
            /h.example/sub/  | /h.example/sub
            """)
    void cleanPrependsASlashAndDropsOneTrailingSlash(String in, String expected) {
        assertThat(RoutePaths.clean(in)).isEqualTo(expected);
    }

    @Test
    void nullIsTheRoot() {
        assertThat(RoutePaths.clean(null)).isEqualTo("/");
    }

    @Test
    void cleaningTwiceStripsTwoSlashesAsChpPostDoes() {
        // CHP normalises once in the proxy and again in the store on POST (§3.4 quirk).
        assertThat(RoutePaths.clean(RoutePaths.clean("/a//"))).isEqualTo("/a");
        assertThat(RoutePaths.clean("/a//")).isEqualTo("/a/");
    }

    @Test
    void cleanReturnsTheSameInstanceWhenNothingChanges() {
        String key = "/user/alice";
        assertThat(RoutePaths.clean(key)).isSameAs(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a\nb", "/a\r", "\u0000", "/\u0001", "/\u001f", "/\u007f", "/a\tb", "/\u001b[31m"})
    void controlCharactersAreDetected(String s) {
        assertThat(RoutePaths.hasControlCharacters(s)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/a b", "/user/秀樹", "/~!@#$%^&*()_+", "/\u00a0", "/\u0080"})
    void printableTextIsAccepted(String s) {
        assertThat(RoutePaths.hasControlCharacters(s)).isFalse();
    }
}
