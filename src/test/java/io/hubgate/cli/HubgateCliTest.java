package io.hubgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.hubgate.config.HubgateConfig;
import io.hubgate.config.ListenAddress;
import io.hubgate.config.TlsClientConfig;
import io.hubgate.config.TlsServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HubgateCliTest {

    private static final Map<String, String> NO_ENV = Map.of();

    @TempDir
    Path dir;
    private Path key;
    private Path cert;
    private Path ca;
    private Path dhparam;

    @BeforeEach
    void tlsFiles() throws IOException {
        // The CLI only checks that the files can be read; their content is the TLS code's business.
        key = Files.writeString(dir.resolve("key.pem"), "key");
        cert = Files.writeString(dir.resolve("cert.pem"), "cert");
        ca = Files.writeString(dir.resolve("ca.pem"), "ca");
        dhparam = Files.writeString(dir.resolve("dh.pem"), "dh");
    }

    // --- helpers -------------------------------------------------------------------------------

    private static HubgateConfig config(Map<String, String> env, String... args) {
        return run(env, args).config();
    }

    private static HubgateConfig config(String... args) {
        return config(NO_ENV, args);
    }

    private static CliOutcome.Run run(Map<String, String> env, String... args) {
        CliOutcome outcome = HubgateCli.parse(args, env);
        assertThat(outcome).as("outcome of %s", Arrays.toString(args)).isInstanceOf(CliOutcome.Run.class);
        return (CliOutcome.Run) outcome;
    }

    private static CliOutcome.Exit exit(Map<String, String> env, String... args) {
        CliOutcome outcome = HubgateCli.parse(args, env);
        assertThat(outcome).as("outcome of %s", Arrays.toString(args)).isInstanceOf(CliOutcome.Exit.class);
        return (CliOutcome.Exit) outcome;
    }

    private static HubgateConfig.Builder defaults() {
        return HubgateConfig.builder();
    }

    private static HubgateConfig with(java.util.function.Consumer<HubgateConfig.Builder> change) {
        HubgateConfig.Builder builder = HubgateConfig.builder();
        change.accept(builder);
        return builder.build();
    }

    private static List<String> list(String... items) {
        return List.of(items);
    }

    // --- defaults ------------------------------------------------------------------------------

    @Test
    void noArgumentsGiveChpDefaults() {
        CliOutcome.Run run = run(NO_ENV);
        HubgateConfig expected = new HubgateConfig(
                ListenAddress.tcp(null, 8000), ListenAddress.tcp("localhost", 8001), null, null, null,
                TlsClientConfig.DEFAULT, null, null, null, null, null, null, null,
                true, true, true, false, false, null, Map.of(), false, "info", null, null,
                Duration.ofMillis(5000), "memory", Duration.ofMillis(10_000), false, false, Duration.ofMillis(10_000),
                Duration.ofSeconds(60));
        assertThat(run.config()).isEqualTo(expected);
        assertThat(run.config()).isEqualTo(defaults().build());
        assertThat(run.warnings()).isEmpty();
    }

    // --- every value option, in both syntaxes ------------------------------------------------

    static Stream<Arguments> valueOptions() {
        return Stream.of(
                arguments("--ip", "127.0.0.1", f(HubgateConfig::proxyListen), ListenAddress.tcp("127.0.0.1", 8000)),
                arguments("--ip", "", f(HubgateConfig::proxyListen), ListenAddress.tcp("", 8000)),
                arguments("--ip", "::1", f(HubgateConfig::proxyListen), ListenAddress.tcp("::1", 8000)),
                arguments("--port", "9000", f(HubgateConfig::proxyListen), ListenAddress.tcp(null, 9000)),
                arguments("--port", "9000", f(HubgateConfig::apiListen), ListenAddress.tcp("localhost", 9001)),
                arguments("--port", "0", f(HubgateConfig::apiListen), ListenAddress.tcp("localhost", 0)),
                arguments("--socket", "/run/hub/proxy.sock", f(HubgateConfig::proxyListen),
                        ListenAddress.unix(Path.of("/run/hub/proxy.sock"))),
                arguments("--socket", "/run/hub/proxy.sock", f(HubgateConfig::apiListen),
                        ListenAddress.tcp("localhost", 8001)),
                arguments("--api-ip", "0.0.0.0", f(HubgateConfig::apiListen), ListenAddress.tcp("0.0.0.0", 8001)),
                arguments("--api-ip", "", f(HubgateConfig::apiListen), ListenAddress.tcp("", 8001)),
                arguments("--api-port", "9999", f(HubgateConfig::apiListen), ListenAddress.tcp("localhost", 9999)),
                arguments("--api-port", "9999", f(HubgateConfig::proxyListen), ListenAddress.tcp(null, 8000)),
                arguments("--api-socket", "/run/hub/api.sock", f(HubgateConfig::apiListen),
                        ListenAddress.unix(Path.of("/run/hub/api.sock"))),
                arguments("--metrics-ip", "127.0.0.1", f(HubgateConfig::metricsListen), null),
                arguments("--metrics-port", "9102", f(HubgateConfig::metricsListen), ListenAddress.tcp("", 9102)),
                arguments("--metrics-port", "0", f(HubgateConfig::metricsListen), ListenAddress.tcp("", 0)),
                arguments("--metrics-socket", "/run/hub/metrics.sock", f(HubgateConfig::metricsListen),
                        ListenAddress.unix(Path.of("/run/hub/metrics.sock"))),
                arguments("--default-target", "http://127.0.0.1:8081", f(HubgateConfig::defaultTarget),
                        "http://127.0.0.1:8081"),
                arguments("--default-target", "@file", f(HubgateConfig::defaultTarget), "@file"),
                arguments("--default-target", "", f(HubgateConfig::defaultTarget), null),
                arguments("--error-target", "http://hub:8081/hub/error", f(HubgateConfig::errorTarget),
                        "http://hub:8081/hub/error/"),
                arguments("--error-target", "http://hub:8081/hub/error/", f(HubgateConfig::errorTarget),
                        "http://hub:8081/hub/error/"),
                arguments("--error-path", "/srv/errors", f(HubgateConfig::errorPath), Path.of("/srv/errors")),
                arguments("--redirect-to", "8443", f(HubgateConfig::redirectTo), 8443),
                arguments("--pid-file", "/run/chp.pid", f(HubgateConfig::pidFile), Path.of("/run/chp.pid")),
                arguments("--protocol-rewrite", "https", f(HubgateConfig::protocolRewrite), "https"),
                arguments("--custom-header", "k1: v1", f(HubgateConfig::customHeaders), Map.of("k1", "v1")),
                arguments("--custom-header", " k2 : host:123 ", f(HubgateConfig::customHeaders),
                        Map.of("k2", "host:123")),
                arguments("--custom-header", "--x:y", f(HubgateConfig::customHeaders), Map.of("--x", "y")),
                arguments("--log-level", "debug", f(HubgateConfig::logLevel), "debug"),
                arguments("--log-level", "WARN", f(HubgateConfig::logLevel), "warn"),
                arguments("--timeout", "1500", f(HubgateConfig::timeout), Duration.ofMillis(1500)),
                arguments("--timeout", "0", f(HubgateConfig::timeout), null),
                arguments("--proxy-timeout", "2500", f(HubgateConfig::proxyTimeout), Duration.ofMillis(2500)),
                arguments("--proxy-timeout", "0", f(HubgateConfig::proxyTimeout), null),
                arguments("--keep-alive-timeout", "7000", f(HubgateConfig::keepAliveTimeout), Duration.ofMillis(7000)),
                arguments("--keep-alive-timeout", "0", f(HubgateConfig::keepAliveTimeout), Duration.ofMillis(5000)),
                arguments("--storage-backend", "memory", f(HubgateConfig::storageBackend), "memory"),
                arguments("--storage-backend", "file:///var/lib/hubgate", f(HubgateConfig::storageBackend),
                        "file:///var/lib/hubgate"),
                arguments("--storage-backend", "file:/var/lib/hub%20gate/", f(HubgateConfig::storageBackend),
                        "file:/var/lib/hub%20gate/"),
                arguments("--state-flush-interval", "250", f(HubgateConfig::stateFlushInterval),
                        Duration.ofMillis(250)),
                arguments("--shutdown-timeout", "2000", f(HubgateConfig::shutdownGrace), Duration.ofMillis(2000)),
                arguments("--shutdown-timeout", "0", f(HubgateConfig::shutdownGrace), Duration.ZERO),
                arguments("--upstream-keep-alive-timeout", "15000", f(HubgateConfig::upstreamKeepAliveTimeout),
                        Duration.ofMillis(15000)),
                arguments("--upstream-keep-alive-timeout", "0", f(HubgateConfig::upstreamKeepAliveTimeout),
                        Duration.ZERO),
                // Non-TLS options that only matter with TLS are accepted and change nothing without it.
                arguments("--ssl-protocol", "TLSv1_2", f(HubgateConfig::proxyTls), null),
                arguments("--ssl-ciphers", "HIGH", f(HubgateConfig::proxyTls), null),
                arguments("--ssl-ca", "/does/not/matter/without/ssl", f(HubgateConfig::proxyTls), null),
                arguments("--api-ssl-ca", "/does/not/matter/without/ssl", f(HubgateConfig::apiTls), null),
                arguments("--ssl-dhparam", "/does/not/matter/without/ssl", f(HubgateConfig::proxyTls), null));
    }

    private static Function<HubgateConfig, Object> f(Function<HubgateConfig, Object> extractor) {
        return extractor;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("valueOptions")
    void valueOptionAsTwoWords(String option, String value, Function<HubgateConfig, Object> field, Object expected) {
        assertThat(field.apply(config(option, value))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("valueOptions")
    void valueOptionWithEquals(String option, String value, Function<HubgateConfig, Object> field, Object expected) {
        assertThat(field.apply(config(option + "=" + value))).isEqualTo(expected);
    }

    // --- every flag -----------------------------------------------------------------------------

    static Stream<Arguments> flags() {
        return Stream.of(
                arguments("--no-x-forward", with(b -> b.xForward = false)),
                arguments("--no-prepend-path", with(b -> b.prependPath = false)),
                arguments("--no-include-prefix", with(b -> b.includePrefix = false)),
                arguments("--auto-rewrite", with(b -> b.autoRewrite = true)),
                arguments("--change-origin", with(b -> b.changeOrigin = true)),
                arguments("--host-routing", with(b -> b.hostRouting = true)),
                arguments("--insecure", with(
                        b -> b.clientTls = new TlsClientConfig(null, null, null, true))),
                arguments("--ws-activity-both-ways", with(b -> b.websocketActivityBothWays = true)),
                arguments("--access-log", with(b -> b.accessLog = true)),
                // Accepted, and without effect, as in CHP.
                arguments("--ssl-allow-rc4", defaults().build()),
                arguments("--ssl-request-cert", defaults().build()),
                arguments("--ssl-reject-unauthorized", defaults().build()),
                arguments("--api-ssl-request-cert", defaults().build()),
                arguments("--api-ssl-reject-unauthorized", defaults().build()),
                arguments("--client-ssl-request-cert", defaults().build()),
                arguments("--client-ssl-reject-unauthorized", defaults().build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flags")
    void flag(String flag, HubgateConfig expected) {
        assertThat(config(flag)).isEqualTo(expected);
        // Repeating a flag is harmless.
        assertThat(config(flag, flag)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"error", "warn", "info", "http", "verbose", "debug", "silly", "Info", "SILLY"})
    void everyChpLogLevelIsAccepted(String level) {
        assertThat(config("--log-level", level).logLevel()).isEqualTo(level.toLowerCase());
    }

    // --- TLS ------------------------------------------------------------------------------------

    @Test
    void publicTlsFromAllSslOptionsAndPassphrase() {
        Map<String, String> env = Map.of("CONFIGPROXY_SSL_KEY_PASSPHRASE", "secret",
                "CONFIGPROXY_API_SSL_KEY_PASSPHRASE", "api-secret");
        HubgateConfig config = config(env, "--ssl-key", key.toString(), "--ssl-cert=" + cert,
                "--ssl-ca", ca.toString(), "--ssl-request-cert", "--ssl-reject-unauthorized",
                "--ssl-protocol", "TLSv1_2", "--ssl-ciphers=HIGH:!aNULL", "--ssl-dhparam", dhparam.toString(),
                "--ssl-allow-rc4");
        assertThat(config.proxyTls()).isEqualTo(
                new TlsServerConfig(key, cert, ca, "secret", true, true, "TLSv1_2", "HIGH:!aNULL", dhparam));
        assertThat(config.apiTls()).isNull();
        assertThat(config.clientTls()).isEqualTo(TlsClientConfig.DEFAULT);
    }

    @Test
    void publicTlsMinimal() {
        HubgateConfig config = config("--ssl-key", key.toString(), "--ssl-cert", cert.toString());
        assertThat(config.proxyTls()).isEqualTo(
                new TlsServerConfig(key, cert, null, null, false, false, null, null, null));
    }

    @Test
    void apiTlsSharesProtocolCiphersAndDhparamWithThePublicListener() {
        Map<String, String> env = Map.of("CONFIGPROXY_SSL_KEY_PASSPHRASE", "secret",
                "CONFIGPROXY_API_SSL_KEY_PASSPHRASE", "api-secret");
        HubgateConfig config = config(env, "--api-ssl-key", key.toString(), "--api-ssl-cert", cert.toString(),
                "--api-ssl-ca=" + ca, "--api-ssl-request-cert", "--api-ssl-reject-unauthorized",
                "--ssl-protocol", "TLSv1_3", "--ssl-ciphers", "HIGH", "--ssl-dhparam", dhparam.toString());
        assertThat(config.apiTls()).isEqualTo(
                new TlsServerConfig(key, cert, ca, "api-secret", true, true, "TLSv1_3", "HIGH", dhparam));
        assertThat(config.proxyTls()).isNull();
    }

    @Test
    void clientTls() {
        HubgateConfig config = config("--client-ssl-key", key.toString(), "--client-ssl-cert", cert.toString(),
                "--client-ssl-ca", ca.toString(), "--client-ssl-request-cert", "--client-ssl-reject-unauthorized",
                "--insecure");
        assertThat(config.clientTls()).isEqualTo(new TlsClientConfig(key, cert, ca, true));
        assertThat(config("--client-ssl-ca=" + ca).clientTls()).isEqualTo(new TlsClientConfig(null, null, ca, false));
    }

    @Test
    void jupyterhubInternalSslCommandLine() {
        // What JupyterHub's ConfigurableHTTPProxy passes with internal_ssl (chp-behaviour §2.9).
        HubgateConfig config = config(Map.of("CONFIGPROXY_AUTH_TOKEN", "tok"),
                "--ip", "", "--port", "8000", "--api-ip", "127.0.0.1", "--api-port", "8001",
                "--error-target", "https://127.0.0.1:8081/hub/error", "--log-level", "debug",
                "--api-ssl-key", key.toString(), "--api-ssl-cert", cert.toString(), "--api-ssl-ca", ca.toString(),
                "--api-ssl-request-cert", "--api-ssl-reject-unauthorized",
                "--client-ssl-key", key.toString(), "--client-ssl-cert", cert.toString(),
                "--client-ssl-ca", ca.toString(), "--client-ssl-request-cert", "--client-ssl-reject-unauthorized");
        assertThat(config.proxyListen()).isEqualTo(ListenAddress.tcp("", 8000));
        assertThat(config.apiListen()).isEqualTo(ListenAddress.tcp("127.0.0.1", 8001));
        assertThat(config.errorTarget()).isEqualTo("https://127.0.0.1:8081/hub/error/");
        assertThat(config.logLevel()).isEqualTo("debug");
        assertThat(config.authToken()).isEqualTo("tok");
        assertThat(config.apiTls()).isEqualTo(new TlsServerConfig(key, cert, ca, null, true, true, null, null, null));
        assertThat(config.clientTls()).isEqualTo(new TlsClientConfig(key, cert, ca, false));
        assertThat(config.proxyTls()).isNull();
    }

    @Test
    void kubernetesStyleEqualsCommandLine() {
        // zero-to-jupyterhub runs the proxy with --flag=value words.
        HubgateConfig config = config("--ip=", "--api-ip=", "--api-port=8001",
                "--default-target=http://hub:8081", "--error-target=http://hub:8081/hub/error", "--port=8000");
        assertThat(config.proxyListen()).isEqualTo(ListenAddress.tcp("", 8000));
        assertThat(config.apiListen()).isEqualTo(ListenAddress.tcp("", 8001));
        assertThat(config.defaultTarget()).isEqualTo("http://hub:8081");
        assertThat(config.errorTarget()).isEqualTo("http://hub:8081/hub/error/");
    }

    // --- listeners, redirects, warnings ---------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"--ip=*", "--ip *"})
    void ipStarMeansAllInterfacesWithChpsWarning(String words) {
        CliOutcome.Run run = run(NO_ENV, words.split(" "));
        assertThat(run.config().proxyListen()).isEqualTo(ListenAddress.tcp("", 8000));
        assertThat(run.config().proxyListen().allInterfaces()).isTrue();
        assertThat(run.warnings()).containsExactly("Interpreting ip='*' as all-interfaces. "
                + "Preferred usage is 0.0.0.0 for all IPv4 or '' for all-interfaces.");
    }

    @Test
    void repeatingANumericOptionTheLastOneWins() {
        // CHP falls back to the default here (parseInt radix quirk); Hubgate takes the last value.
        HubgateConfig config = config("--api-port", "9301", "--api-port", "9302", "--port", "9200", "--port=9300");
        assertThat(config.apiListen().port()).isEqualTo(9302);
        assertThat(config.proxyListen().port()).isEqualTo(9300);
        assertThat(config("--timeout", "1", "--timeout", "2").timeout()).isEqualTo(Duration.ofMillis(2));
        assertThat(config("--ip", "127.0.0.1", "--ip", "::1").proxyListen().host()).isEqualTo("::1");
    }

    @Test
    void defaultsDoNotConflictWithSockets() {
        HubgateConfig config = config("--socket", "/tmp/p.sock", "--api-socket", "/tmp/a.sock",
                "--metrics-socket", "/tmp/m.sock");
        assertThat(config.proxyListen()).isEqualTo(ListenAddress.unix(Path.of("/tmp/p.sock")));
        assertThat(config.apiListen()).isEqualTo(ListenAddress.unix(Path.of("/tmp/a.sock")));
        assertThat(config.metricsListen()).isEqualTo(ListenAddress.unix(Path.of("/tmp/m.sock")));
    }

    @Test
    void metricsIpIsUsedWithMetricsPort() {
        assertThat(config("--metrics-ip", "127.0.0.1", "--metrics-port", "9102").metricsListen())
                .isEqualTo(ListenAddress.tcp("127.0.0.1", 9102));
    }

    @Test
    void redirectPortWithTls() {
        HubgateConfig config = config("--ssl-key", key.toString(), "--ssl-cert", cert.toString(),
                "--port", "443", "--redirect-port", "8080", "--redirect-to", "8443");
        assertThat(config.redirectPort()).isEqualTo(8080);
        assertThat(config.redirectTo()).isEqualTo(8443);
        assertThat(config("--ssl-key", key.toString(), "--ssl-cert", cert.toString(), "--redirect-port=80")
                .redirectPort()).isEqualTo(80);
    }

    @Test
    void noRedirectServerOnPort80OrWithASocket() {
        // CHP starts no redirect server in these cases; the configuration says so with null.
        assertThat(config("--ssl-key", key.toString(), "--ssl-cert", cert.toString(),
                "--port", "80", "--redirect-port", "8080").redirectPort()).isNull();
        assertThat(config("--ssl-key", key.toString(), "--ssl-cert", cert.toString(),
                "--socket", "/tmp/p.sock", "--redirect-port", "8080").redirectPort()).isNull();
    }

    @Test
    void customHeadersKeepOrderAndLaterOnesOverwrite() {
        HubgateConfig config = config("--custom-header", "k1: v1", "--custom-header=X-B:2",
                "--custom-header", " k2 : host:123 ", "--custom-header", "k1:again", "--custom-header", "K1: other");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("k1", "again");
        expected.put("X-B", "2");
        expected.put("k2", "host:123");
        expected.put("K1", "other");
        assertThat(config.customHeaders()).containsExactlyEntriesOf(expected);
    }

    @Test
    void customHeaderValueMayBeEmpty() {
        assertThat(config("--custom-header", "X-Empty:").customHeaders()).containsExactlyEntriesOf(Map.of("X-Empty", ""));
    }

    // --- environment ----------------------------------------------------------------------------

    @Test
    void authTokenFromEnvironment() {
        assertThat(config(Map.of("CONFIGPROXY_AUTH_TOKEN", "s3cret")).authToken()).isEqualTo("s3cret");
        assertThat(config(Map.of("CONFIGPROXY_AUTH_TOKEN", "")).authToken()).isNull();
    }

    @Test
    void authTokenFromFileWithoutTrailingNewlines() throws IOException {
        Path file = Files.writeString(dir.resolve("token"), "from-file\n\n");
        assertThat(config(Map.of("CONFIGPROXY_AUTH_TOKEN_FILE", file.toString())).authToken()).isEqualTo("from-file");
        // An empty variable does not count as set.
        assertThat(config(Map.of("CONFIGPROXY_AUTH_TOKEN_FILE", file.toString(), "CONFIGPROXY_AUTH_TOKEN", ""))
                .authToken()).isEqualTo("from-file");
        assertThat(config(Map.of("CONFIGPROXY_AUTH_TOKEN_FILE", "", "CONFIGPROXY_AUTH_TOKEN", "t")).authToken())
                .isEqualTo("t");
    }

    @Test
    void passphrasesOnlyApplyToTheirOwnKey() {
        Map<String, String> env = Map.of("CONFIGPROXY_SSL_KEY_PASSPHRASE", "p1",
                "CONFIGPROXY_API_SSL_KEY_PASSPHRASE", "p2");
        HubgateConfig config = config(env, "--ssl-key", key.toString(), "--ssl-cert", cert.toString(),
                "--api-ssl-key", key.toString(), "--api-ssl-cert", cert.toString());
        assertThat(config.proxyTls().keyPassphrase()).isEqualTo("p1");
        assertThat(config.apiTls().keyPassphrase()).isEqualTo("p2");
        assertThat(config(Map.of("CONFIGPROXY_SSL_KEY_PASSPHRASE", ""), "--ssl-key", key.toString(),
                "--ssl-cert", cert.toString()).proxyTls().keyPassphrase()).isNull();
    }

    // --- help and version -----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "--help extra --bogus", "--bogus -h", "--port abc --help"})
    void help(String words) {
        CliOutcome.Exit exit = exit(NO_ENV, words.split(" "));
        assertThat(exit.code()).isZero();
        assertThat(exit.stderr()).isEmpty();
        assertThat(exit.stdout()).startsWith("Usage: hubgate [options]\n").endsWith("\n");
        for (ChpOption option : ChpOption.values()) {
            assertThat(exit.stdout()).contains("  " + option.label + " ");
        }
        assertThat(exit.stdout()).contains("Public proxy:\n", "REST API:\n", "Metrics:\n", "Environment variables:\n",
                "CONFIGPROXY_AUTH_TOKEN ", "CONFIGPROXY_AUTH_TOKEN_FILE", "CONFIGPROXY_SSL_KEY_PASSPHRASE",
                "CONFIGPROXY_API_SSL_KEY_PASSPHRASE");
        assertThat(exit.stdout().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V", "--bogus -V", "-V extra"})
    void version(String words) {
        CliOutcome.Exit exit = exit(NO_ENV, words.split(" "));
        assertThat(exit.code()).isZero();
        assertThat(exit.stderr()).isEmpty();
        // Tests run from classes, without a jar manifest.
        assertThat(exit.stdout()).isEqualTo("hubgate 0.1.0-SNAPSHOT (configurable-http-proxy 5.3 compatible)\n");
    }

    // --- errors ---------------------------------------------------------------------------------

    static Stream<Arguments> usageErrors() {
        String portLabel = "'--port <n> (defaults to 8000)'";
        return Stream.of(
                arguments(list("--bogus"), "error: unknown option '--bogus'"),
                arguments(list("--bogus=3"), "error: unknown option '--bogus=3'"),
                arguments(list("--port", "1", "--bogus"), "error: unknown option '--bogus'"),
                arguments(list("--statsd-host", "localhost", "--statsd-port", "8125"),
                        "error: unknown option '--statsd-host'"),
                arguments(list("--statsd-prefix=jupyterhub"), "error: unknown option '--statsd-prefix=jupyterhub'"),
                arguments(list("-x"), "error: unknown option '-x'"),
                arguments(list("-hV"), "error: unknown option '-hV'"),
                arguments(list("--insecure=yes"), "error: unknown option '--insecure=yes'"),
                arguments(list("--no-x-forward=1"), "error: unknown option '--no-x-forward=1'"),
                arguments(list("--x-forward"), "error: unknown option '--x-forward'"),
                arguments(list("--PORT", "1"), "error: unknown option '--PORT'"),
                arguments(list("--api"), "error: unknown option '--api'"),
                arguments(list("extra"), "error: too many arguments. Expected 0 arguments but got 1: extra."),
                arguments(list("a", "b"), "error: too many arguments. Expected 0 arguments but got 2: a, b."),
                arguments(list("--port"), "error: option " + portLabel + " argument missing"),
                arguments(list("--ip"), "error: option '--ip <ip-address>' argument missing"),
                arguments(list("--custom-header"), "error: option '--custom-header <header>' argument missing"),
                arguments(list("--socket", "/tmp/s", "--port", "9"),
                        "error: option '--socket <path>' cannot be used with option " + portLabel),
                arguments(list("--port=9", "--socket=/tmp/s"),
                        "error: option '--socket <path>' cannot be used with option " + portLabel),
                arguments(list("--socket", "/tmp/s", "--ip", "1.2.3.4"),
                        "error: option '--socket <path>' cannot be used with option '--ip <ip-address>'"),
                arguments(list("--socket", "/tmp/s", "--port", "1", "--ip", "1.2.3.4"),
                        "error: option '--socket <path>' cannot be used with option '--ip <ip-address>'"),
                arguments(list("--api-socket", "/tmp/a", "--api-port", "9"),
                        "error: option '--api-socket <path>' cannot be used with option '--api-port <n>'"),
                arguments(list("--api-socket", "/tmp/a", "--api-ip", "localhost"),
                        "error: option '--api-socket <path>' cannot be used with option '--api-ip <ip>'"),
                arguments(list("--metrics-socket", "/tmp/m", "--metrics-port", "9"),
                        "error: option '--metrics-socket <path>' cannot be used with option '--metrics-port <n>'"),
                arguments(list("--metrics-socket", "/tmp/m", "--metrics-ip", ""),
                        "error: option '--metrics-socket <path>' cannot be used with option '--metrics-ip <ip>'"),
                arguments(list("--port", "abc"), "error: option " + portLabel
                        + " argument 'abc' is invalid. Expected a port number from 0 to 65535."),
                arguments(list("--port=8000abc"), "error: option " + portLabel
                        + " argument '8000abc' is invalid. Expected a port number from 0 to 65535."),
                arguments(list("--port", "65536"), "error: option " + portLabel
                        + " argument '65536' is invalid. Expected a port number from 0 to 65535."),
                arguments(list("--port", "-1"), "error: option " + portLabel
                        + " argument '-1' is invalid. Expected a port number from 0 to 65535."),
                arguments(list("--port="), "error: option " + portLabel
                        + " argument '' is invalid. Expected a port number from 0 to 65535."),
                arguments(list("--port", "--ip"), "error: option " + portLabel
                        + " argument '--ip' is invalid. Expected a port number from 0 to 65535."),
                arguments(list("--port", "99999999999999999999"), "error: option " + portLabel
                        + " argument '99999999999999999999' is invalid. Expected a port number from 0 to 65535."),
                arguments(list("--api-port", "x"), "error: option '--api-port <n>' argument 'x' is invalid. "
                        + "Expected a port number from 0 to 65535."),
                arguments(list("--metrics-port", "1e3"), "error: option '--metrics-port <n>' argument '1e3' is "
                        + "invalid. Expected a port number from 0 to 65535."),
                arguments(list("--redirect-port", "http"), "error: option '--redirect-port <redirect-port>' "
                        + "argument 'http' is invalid. Expected a port number from 0 to 65535."),
                arguments(list("--redirect-to", "0"), "error: option '--redirect-to <port>' argument '0' is "
                        + "invalid. Expected a port number from 1 to 65535."),
                arguments(list("--timeout", "soon"), "error: option '--timeout <n>' argument 'soon' is invalid. "
                        + "Expected a whole number of milliseconds from 0 to 2147483647."),
                arguments(list("--proxy-timeout", "1.5"), "error: option '--proxy-timeout <n>' argument '1.5' is "
                        + "invalid. Expected a whole number of milliseconds from 0 to 2147483647."),
                arguments(list("--keep-alive-timeout", "-5"), "error: option '--keep-alive-timeout <timeout>' "
                        + "argument '-5' is invalid. Expected a whole number of milliseconds from 0 to 2147483647."),
                arguments(list("--shutdown-timeout", "2147483648"), "error: option '--shutdown-timeout <ms>' "
                        + "argument '2147483648' is invalid. Expected a whole number of milliseconds from 0 to "
                        + "2147483647."),
                arguments(list("--upstream-keep-alive-timeout", "1m"), "error: option "
                        + "'--upstream-keep-alive-timeout <ms>' argument '1m' is invalid. Expected a whole number of "
                        + "milliseconds from 0 to 2147483647."),
                arguments(list("--port", "65535"), "error: the API port defaults to --port + 1 = 65536, which is "
                        + "not a valid port; give --api-port"),
                arguments(list("--log-level", "bogus"), "error: option '--log-level <loglevel>' argument 'bogus' "
                        + "is invalid. Allowed choices are error, warn, info, http, verbose, debug, silly."),
                arguments(list("--log-level="), "error: option '--log-level <loglevel>' argument '' "
                        + "is invalid. Allowed choices are error, warn, info, http, verbose, debug, silly."),
                arguments(list("--log-level", "trace"), "error: option '--log-level <loglevel>' argument 'trace' "
                        + "is invalid. Allowed choices are error, warn, info, http, verbose, debug, silly."),
                arguments(list("--storage-backend", "./redis-store"), "error: option '--storage-backend "
                        + "<storage-class>' argument './redis-store' is invalid. This build supports 'memory' (the "
                        + "default: routes are kept in memory, as CHP does) and 'file:///absolute/state-dir' (a "
                        + "journal on local disk)."),
                arguments(list("--storage-backend", "redis://127.0.0.1:6379"), "error: option '--storage-backend "
                        + "<storage-class>' argument 'redis://127.0.0.1:6379' is invalid. This build supports "
                        + "'memory' (the default: routes are kept in memory, as CHP does) and "
                        + "'file:///absolute/state-dir' (a journal on local disk)."),
                arguments(list("--storage-backend", "file:state"), "error: option '--storage-backend "
                        + "<storage-class>' argument 'file:state' is invalid. A file: backend names an absolute "
                        + "directory, e.g. file:///var/lib/hubgate."),
                arguments(list("--storage-backend", "file://host/srv/state"), "error: option '--storage-backend "
                        + "<storage-class>' argument 'file://host/srv/state' is invalid. A file: backend is a local "
                        + "directory and names no host: file:///path."),
                arguments(list("--storage-backend", "file:///srv/state?fsync=no"), "error: option "
                        + "'--storage-backend <storage-class>' argument 'file:///srv/state?fsync=no' is invalid. A "
                        + "file: backend has no query or fragment."),
                arguments(list("--storage-backend", "file:///srv/a b"), "error: option '--storage-backend "
                        + "<storage-class>' argument 'file:///srv/a b' is invalid. Not a valid URI: Illegal character "
                        + "in path at index 13: file:///srv/a b."),
                arguments(list("--state-flush-interval", "0"), "error: option '--state-flush-interval <ms>' "
                        + "argument '0' is invalid. Expected a whole number of milliseconds from 1 to 2147483647."),
                arguments(list("--redirect-port", "8080"),
                        "error: HTTPS redirection specified but certificates not provided."),
                arguments(list("--redirect-port", "8080", "--api-ssl-key", "/x", "--api-ssl-cert", "/y"),
                        "error: cannot read --api-ssl-key file '/x': no such file"),
                arguments(list("--error-target", "http://hub/error", "--error-path", "/srv/errors"),
                        "error: Cannot specify both error-target and error-path. Pick one."),
                arguments(list("--custom-header", "invalid"), "A colon was expected in custom header: invalid"),
                arguments(list("--custom-header", "  :value "), "A colon was expected in custom header: :value"),
                arguments(list("--custom-header=", "--custom-header", "a:b"), "A colon was expected in custom header: "),
                arguments(list("--ssl-key", "/nonexistent/key.pem", "--ssl-cert", "/nonexistent/cert.pem"),
                        "error: cannot read --ssl-key file '/nonexistent/key.pem': no such file"),
                arguments(list("--ssl-key", "/tmp", "--ssl-cert", "/tmp"),
                        "error: cannot read --ssl-key file '/tmp': is a directory"),
                arguments(list("--ssl-key", "/nonexistent/key.pem"), "error: option '--ssl-key <keyfile>' requires "
                        + "option '--ssl-cert <certfile>' (a TLS key and its certificate go together)"),
                arguments(list("--api-ssl-cert", "/nonexistent/cert.pem"), "error: option '--api-ssl-cert <certfile>' "
                        + "requires option '--api-ssl-key <keyfile>' (a TLS key and its certificate go together)"),
                arguments(list("--client-ssl-key", "/k"), "error: option '--client-ssl-key <keyfile>' requires "
                        + "option '--client-ssl-cert <certfile>' (a TLS key and its certificate go together)"),
                arguments(list("--client-ssl-ca", "/nonexistent/ca.pem"),
                        "error: cannot read --client-ssl-ca file '/nonexistent/ca.pem': no such file"),
                arguments(list("--client-ssl-ca", "/nonexistent/ca.pem", "--insecure"),
                        "error: cannot read --client-ssl-ca file '/nonexistent/ca.pem': no such file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void usageError(List<String> args, String message) {
        CliOutcome.Exit exit = exit(NO_ENV, args.toArray(String[]::new));
        assertThat(exit.code()).isEqualTo(1);
        assertThat(exit.stderr()).isEqualTo(message + "\n");
        assertThat(exit.stdout()).isEmpty();
    }

    @Test
    void unreadableTlsCompanionFilesAreErrors() {
        CliOutcome.Exit exit = exit(NO_ENV, "--ssl-key", key.toString(), "--ssl-cert", cert.toString(),
                "--ssl-ca", dir.resolve("missing-ca.pem").toString());
        assertThat(exit.code()).isEqualTo(1);
        assertThat(exit.stderr()).isEqualTo("error: cannot read --ssl-ca file '" + dir.resolve("missing-ca.pem")
                + "': no such file\n");
        exit = exit(NO_ENV, "--client-ssl-ca", ca.toString(), "--ssl-dhparam", dir.resolve("nope").toString());
        assertThat(exit.stderr()).isEqualTo("error: cannot read --ssl-dhparam file '" + dir.resolve("nope")
                + "': no such file\n");
    }

    @Test
    void bothTokenVariablesAreAnError() throws IOException {
        Path file = Files.writeString(dir.resolve("token"), "t");
        CliOutcome.Exit exit = exit(Map.of("CONFIGPROXY_AUTH_TOKEN", "a", "CONFIGPROXY_AUTH_TOKEN_FILE",
                file.toString()));
        assertThat(exit.code()).isEqualTo(1);
        assertThat(exit.stderr()).isEqualTo("error: both CONFIGPROXY_AUTH_TOKEN and CONFIGPROXY_AUTH_TOKEN_FILE "
                + "are set (but are exclusive)\n");
    }

    @Test
    void unreadableTokenFileIsAnError() {
        String missing = dir.resolve("no-token").toString();
        CliOutcome.Exit exit = exit(Map.of("CONFIGPROXY_AUTH_TOKEN_FILE", missing));
        assertThat(exit.code()).isEqualTo(1);
        assertThat(exit.stderr()).isEqualTo("error: cannot read CONFIGPROXY_AUTH_TOKEN_FILE '" + missing
                + "': no such file\n");
    }

    // --- the parser never prints ----------------------------------------------------------------

    @Test
    void parsingNeverWritesToTheConsole() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        List<CliOutcome> outcomes = new ArrayList<>();
        try {
            System.setOut(capture);
            System.setErr(capture);
            for (String[] args : List.of(new String[] {"--help"}, new String[] {"-V"}, new String[] {"--bogus"},
                    new String[] {"--port"}, new String[] {"--ip", "*"}, new String[] {"--custom-header", "x"})) {
                outcomes.add(HubgateCli.parse(args, new HashMap<>()));
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(outcomes).hasSize(6);
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
