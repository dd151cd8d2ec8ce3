package io.hubgate.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hubgate.routing.Target.Scheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Target#parse}: the target forms of chp-behaviour §4.5 and the Q13 validation. Expected host, path and
 * port values were checked against Node's {@code new URL(target)}, which CHP uses.
 */
class TargetTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            http://h                          | HTTP  | h              | 80    | /          | h
            http://h/                         | HTTP  | h              | 80    | /          | h
            http://h:8000                     | HTTP  | h              | 8000  | /          | h:8000
            http://127.0.0.1:8000/            | HTTP  | 127.0.0.1      | 8000  | /          | 127.0.0.1:8000
            http://H.Example:80/x             | HTTP  | h.example      | 80    | /x         | h.example
            HTTP://h/x                        | HTTP  | h              | 80    | /x         | h
            http://h:080                      | HTTP  | h              | 80    | /          | h
            http://h:                         | HTTP  | h              | 80    | /          | h
            http://h:65535                    | HTTP  | h              | 65535 | /          | h:65535
            http://h:1                        | HTTP  | h              | 1     | /          | h:1
            https://h                         | HTTPS | h              | 443   | /          | h
            https://h:443/x                   | HTTPS | h              | 443   | /x         | h
            https://h:80/                     | HTTPS | h              | 80    | /          | h:80
            http://h:443/                     | HTTP  | h              | 443   | /          | h:443
            http://[::1]:8000/a               | HTTP  | ::1            | 8000  | /a         | [::1]:8000
            http://[::1]                      | HTTP  | ::1            | 80    | /          | [::1]
            https://[2001:DB8::1]:443/        | HTTPS | 2001:db8::1    | 443   | /          | [2001:db8::1]
            http://[::ffff:127.0.0.1]:9/      | HTTP  | ::ffff:127.0.0.1 | 9   | /          | [::ffff:127.0.0.1]:9
            http://u:p@h:8000/x               | HTTP  | h              | 8000  | /x         | h:8000
            http://@h/                        | HTTP  | h              | 80    | /          | h
            http://a@b@h/                     | HTTP  | h              | 80    | /          | h
            http://h/foo?x=1                  | HTTP  | h              | 80    | /foo?x=1   | h
            http://h?x=1                      | HTTP  | h              | 80    | /?x=1      | h
            http://h:8000?x                   | HTTP  | h              | 8000  | /?x        | h:8000
            http://h/p?q#frag                 | HTTP  | h              | 80    | /p?q       | h
            http://h#frag                     | HTTP  | h              | 80    | /          | h
            http://h/a/../b                   | HTTP  | h              | 80    | /b         | h
            http://h/a/%2e%2E/b               | HTTP  | h              | 80    | /b         | h
            http://h/a/./b/                   | HTTP  | h              | 80    | /a/b/      | h
            http://h/a\\b                     | HTTP  | h              | 80    | /a/b       | h
            http://h\\b/c                     | HTTP  | h              | 80    | /b/c       | h
            http://h/p?a=/../b                | HTTP  | h              | 80    | /p?a=/../b | h
            http://h/a%20b%2Fc                | HTTP  | h              | 80    | /a%20b%2Fc | h
            http://a_b~c.example/             | HTTP  | a_b~c.example  | 80    | /          | a_b~c.example
            http://ex%61mple/                 | HTTP  | example        | 80    | /          | example
            http://bücher.example/            | HTTP  | xn--bcher-kva.example | 80 | /    | xn--bcher-kva.example
            """)
    void parsesTcpTargets(String raw, Scheme scheme, String host, int port, String pathAndQuery, String hostHeader) {
        Target t = Target.parse(raw);
        assertThat(t.raw()).isEqualTo(raw);
        assertThat(t.toString()).isEqualTo(raw);
        assertThat(t.scheme()).isEqualTo(scheme);
        assertThat(t.isTls()).isEqualTo(scheme == Scheme.HTTPS);
        assertThat(t.isUnix()).isFalse();
        assertThat(t.host()).isEqualTo(host);
        assertThat(t.port()).isEqualTo(port);
        assertThat(t.pathAndQuery()).isEqualTo(pathAndQuery);
        assertThat(t.hostHeader()).isEqualTo(hostHeader);
        assertThat(t.socketPath()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            http+unix://%2Ftmp%2Fsock                 | /tmp/sock         | /
            http+unix://%2Ftmp%2Fsock/x?y=1           | /tmp/sock         | /x?y=1
            unix+http://%2Ftmp%2Fsock/x               | /tmp/sock         | /x
            HTTP+UNIX://%2ftmp%2fsock/                | /tmp/sock         | /
            http+unix://%2Ftmp%2Fa+b.sock/            | /tmp/a+b.sock     | /
            http+unix://%2Ftmp%2F%E7%A7%80.sock/      | /tmp/秀.sock      | /
            http+unix://relative.sock/                | relative.sock     | /
            http+unix://%2Ftmp%2Fs/a/../b             | /tmp/s            | /b
            http+unix://%2Ftmp%2Fs/a\\b               | /tmp/s            | /a\\b
            http+unix://%2Ftmp%2Fs#f                  | /tmp/s            | /
            """)
    void parsesUnixSocketTargets(String raw, String socketPath, String pathAndQuery) {
        Target t = Target.parse(raw);
        assertThat(t.scheme()).isEqualTo(Scheme.UNIX);
        assertThat(t.isUnix()).isTrue();
        assertThat(t.isTls()).isFalse();
        assertThat(t.socketPath()).isEqualTo(socketPath);
        assertThat(t.pathAndQuery()).isEqualTo(pathAndQuery);
        assertThat(t.host()).isNull();
        assertThat(t.hostHeader()).isEqualTo("localhost");
        assertThat(t.poolKey()).isEqualTo("unix:" + socketPath);
    }

    /** Characters that cannot go on a request line are percent-encoded, as Node's URL parser encodes them. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            http://h/ü?ä            | /%C3%BC?%C3%A4
            http://h/秀樹            | /%E7%A7%80%E6%A8%B9
            http://h/😀              | /%F0%9F%98%80
            'http://h/a"<>`{}|'      | '/a%22%3C%3E%60%7B%7D|'
            'http://h/p?q="<>`{}'''  | '/p?q=%22%3C%3E`{}%27'
            http://h/%C3%BC          | /%C3%BC
            """)
    void percentEncodesWhatARequestLineCannotCarry(String raw, String pathAndQuery) {
        assertThat(Target.parse(raw).pathAndQuery()).isEqualTo(pathAndQuery);
    }

    @Test
    void loneSurrogateIsEncodedAsReplacementCharacter() {
        assertThat(Target.parse("http://h/a\uD800b").pathAndQuery()).isEqualTo("/a%EF%BF%BDb");
    }

    @Test
    void poolKeysSeparateSchemeHostAndPort() {
        assertThat(Target.parse("http://h:8000/a").poolKey()).isEqualTo(Target.parse("http://H:8000/b").poolKey());
        assertThat(Target.parse("http://h/").poolKey()).isEqualTo(Target.parse("http://h:80/").poolKey());
        assertThat(Target.parse("http://h:8000/").poolKey()).isNotEqualTo(Target.parse("https://h:8000/").poolKey());
        assertThat(Target.parse("http://h:8000/").poolKey()).isNotEqualTo(Target.parse("http://h:8001/").poolKey());
        assertThat(Target.parse("http://a/").poolKey()).isNotEqualTo(Target.parse("http://b/").poolKey());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ftp://h/x                   | has unsupported protocol ftp
            ws://h/                     | has unsupported protocol ws
            file:///etc/passwd          | has unsupported protocol file
            https+unix://%2Ftmp%2Fs     | has unsupported protocol https+unix
            h:8000                      | is not an absolute URL
            localhost                   | is not an absolute URL
            /path                       | is not an absolute URL
            ://h                        | is not an absolute URL
            http:h                      | is not an absolute URL
            http:/h                     | is not an absolute URL
            1http://h                   | is not an absolute URL
            a/b://h                     | is not an absolute URL
            "http://h x"                | whitespace or control characters
            "http://h/\\t"               | whitespace or control characters
            "http://h/\\r\\n"             | whitespace or control characters
            "http://h/\\u0000"           | whitespace or control characters
            "http://h/\\u007f"           | whitespace or control characters
            "http://h/\\u001b[31m"       | whitespace or control characters
            http://h:abc                | invalid port 'abc'
            http://h:+80                | invalid port '+80'
            http://h:-1                 | invalid port '-1'
            http://h:0                  | invalid port '0'
            http://h:65536              | invalid port '65536'
            http://h:99999999999999     | invalid port
            http://h:８０                | invalid port
            http://h:80:90              | invalid port '80:90'
            http://a:b:c                | invalid port 'b:c'
            http://                     | has no host
            http:///x                   | has no host
            http://:80                  | has no host
            http://u@                   | has no host
            http://u@:80/               | has no host
            http://?x                   | has no host
            http://[::1                 | unterminated IPv6 address
            http://[::1]x               | malformed host
            http://[::1]:x              | invalid port 'x'
            http://[zz::1]/             | invalid IPv6 address
            http://[1.2.3.4]/           | invalid IPv6 address
            http://[fe80::1%25eth0]/    | invalid IPv6 address
            http://[]/                  | invalid IPv6 address
            http://[::1::2]/            | invalid IPv6 address
            http://a<b/                 | not allowed in a host name: '<'
            http://a^b/                 | not allowed in a host name: '^'
            "http://a|b/"               | "not allowed in a host name: '|'"
            http://a%2Fb/               | not allowed in a host name: '/'
            http://a%zzb/               | malformed host
            http+unix:///x              | names no socket path
            http+unix://                | names no socket path
            http+unix://%zz/x           | socket path that is not valid percent-encoding
            http+unix://%C3%28/x        | socket path that is not valid percent-encoding
            """)
    void rejectsWithAClearMessage(String raw, String message) {
        assertThatThrownBy(() -> Target.parse(unescape(raw)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void rejectsNullAndEmpty() {
        assertThatThrownBy(() -> Target.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("target must be a non-empty URL");
        assertThatThrownBy(() -> Target.parse("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("target must be a non-empty URL");
    }

    @Test
    void messageNamesTheTarget() {
        assertThatThrownBy(() -> Target.parse("ftp://files.example/x"))
                .hasMessage("target 'ftp://files.example/x' has unsupported protocol ftp: "
                        + "(use http://, https:// or http+unix://)");
    }

    /** Lets the CSV table above spell control characters as Java escapes. */
    private static String unescape(String s) {
        return s.replace("\\t", "\t").replace("\\r", "\r").replace("\\n", "\n")
                .replace("\\u0000", "\u0000").replace("\\u007f", "\u007f").replace("\\u001b", "\u001b");
    }
}
