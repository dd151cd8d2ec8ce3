package io.hubgate.cli;

import io.hubgate.config.HubgateConfig;
import io.hubgate.config.ListenAddress;
import io.hubgate.config.TlsClientConfig;
import io.hubgate.config.TlsServerConfig;
import io.hubgate.proxy.upstream.UpstreamConnector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Hubgate's command line: configurable-http-proxy's options, defaults and messages, read into a
 * {@link HubgateConfig}.
 *
 * <p>picocli does the tokenising ({@code --opt value}, {@code --opt=value}, unknown options, missing
 * values); every option is declared as a plain string or flag so that converting and validating values,
 * and the wording of every message, stay here. Differences from CHP are deliberate fixes (bad numbers and
 * unknown log levels are errors instead of silently falling back) and are listed in the README.
 *
 * <p>Never prints and never exits: the caller does both with the returned {@link CliOutcome}.
 */
public final class HubgateCli {

    /** Version reported when running from classes rather than from the packaged jar. */
    public static final String FALLBACK_VERSION = "0.1.0-SNAPSHOT";

    /** CHP's (winston's npm) level names, least to most verbose. */
    public static final List<String> LOG_LEVELS =
            List.of("error", "warn", "info", "http", "verbose", "debug", "silly");

    static final String IP_STAR_WARNING = "Interpreting ip='*' as all-interfaces. "
            + "Preferred usage is 0.0.0.0 for all IPv4 or '' for all-interfaces.";

    static final String ENV_AUTH_TOKEN = "CONFIGPROXY_AUTH_TOKEN";
    static final String ENV_AUTH_TOKEN_FILE = "CONFIGPROXY_AUTH_TOKEN_FILE";
    static final String ENV_SSL_KEY_PASSPHRASE = "CONFIGPROXY_SSL_KEY_PASSPHRASE";
    static final String ENV_API_SSL_KEY_PASSPHRASE = "CONFIGPROXY_API_SSL_KEY_PASSPHRASE";

    private static final int DEFAULT_PORT = 8000;
    private static final Duration DEFAULT_KEEP_ALIVE = Duration.ofMillis(5000);
    private static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofMillis(10_000);
    private static final Duration DEFAULT_STATE_FLUSH_INTERVAL = Duration.ofMillis(10_000);
    /** Node's timers cap at 2^31-1 ms; accepting more would only pretend to work. */
    private static final long MAX_MILLIS = Integer.MAX_VALUE;

    private static final Map<String, ChpOption> BY_NAME = new HashMap<>();

    static {
        for (ChpOption option : ChpOption.values()) {
            BY_NAME.put(option.longName(), option);
        }
    }

    private final ParseResult parsed;
    private final Map<String, String> env;
    private final List<String> warnings = new ArrayList<>();

    private HubgateCli(ParseResult parsed, Map<String, String> env) {
        this.parsed = parsed;
        this.env = env;
    }

    /**
     * Reads the command line and the environment.
     *
     * @param args the arguments after the program name
     * @param env the process environment (usually {@code System.getenv()})
     * @return {@link CliOutcome.Run} with the configuration, or {@link CliOutcome.Exit} for help, version and
     *         errors (exit code 1, message on stderr)
     */
    public static CliOutcome parse(String[] args, Map<String, String> env) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(env, "env");
        try {
            return parseOrThrow(args, env);
        } catch (UsageException e) {
            return new CliOutcome.Exit(1, "", e.getMessage() + "\n");
        }
    }

    /** The version from the jar manifest ({@code Implementation-Version}), or {@value #FALLBACK_VERSION}. */
    public static String version() {
        String version = HubgateCli.class.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? FALLBACK_VERSION : version;
    }

    /** The {@code --version} text, without the trailing newline. */
    public static String versionLine() {
        return "hubgate " + version() + " (configurable-http-proxy 5.3 compatible)";
    }

    /** The {@code --help} text, ending in a newline. */
    public static String helpText() {
        return HelpText.render();
    }

    private static CliOutcome parseOrThrow(String[] args, Map<String, String> env) throws UsageException {
        ParseResult parsed;
        try {
            parsed = commandLine().parseArgs(args);
        } catch (CommandLine.MissingParameterException e) {
            throw new UsageException("error: option '" + labelOf(e.getMissing().get(0)) + "' argument missing");
        } catch (CommandLine.MaxValuesExceededException e) {
            // A value attached to a flag ("--insecure=yes"): commander calls the whole token unknown.
            throw new UsageException("error: unknown option '" + attachedToken(args) + "'");
        } catch (CommandLine.ParameterException e) {
            throw new UsageException("error: " + e.getMessage());
        }
        // Like commander, help and version win over every other problem on the line.
        if (parsed.isUsageHelpRequested()) {
            return new CliOutcome.Exit(0, helpText(), "");
        }
        if (parsed.isVersionHelpRequested()) {
            return new CliOutcome.Exit(0, versionLine() + "\n", "");
        }
        rejectUnmatched(parsed.unmatched());
        HubgateCli cli = new HubgateCli(parsed, env);
        cli.rejectConflicts();
        HubgateConfig config = cli.buildConfig();
        return new CliOutcome.Run(config, cli.warnings);
    }

    /** A fresh picocli model per call: parsing stores values in the model. */
    private static CommandLine commandLine() {
        CommandSpec spec = CommandSpec.create();
        for (ChpOption option : ChpOption.values()) {
            OptionSpec.Builder builder;
            if (option == ChpOption.HELP) {
                builder = OptionSpec.builder("-h", "--help").usageHelp(true);
            } else if (option == ChpOption.VERSION) {
                builder = OptionSpec.builder("-V", "--version").versionHelp(true);
            } else if (option == ChpOption.CUSTOM_HEADER) {
                builder = OptionSpec.builder(option.longName()).arity("1")
                        .type(List.class).auxiliaryTypes(String.class);
            } else if (option.takesValue()) {
                builder = OptionSpec.builder(option.longName()).arity("1").type(String.class);
            } else {
                builder = OptionSpec.builder(option.longName()).arity("0").type(boolean.class);
            }
            spec.addOption(builder.build());
        }
        CommandLine commandLine = new CommandLine(spec);
        commandLine.setUnmatchedArgumentsAllowed(true);        // reported by us, after help/version
        commandLine.setOverwrittenOptionsAllowed(true);        // repeating an option: the last one wins
        commandLine.setAllowOptionsAsOptionParameters(true);   // commander: "--custom-header --x" takes "--x"
        commandLine.setPosixClusteredShortOptionsAllowed(false); // "-hV" is an unknown option, as in CHP
        commandLine.setExpandAtFiles(false);                   // "@file" is a plain value
        return commandLine;
    }

    private static String labelOf(ArgSpec spec) {
        if (spec instanceof OptionSpec option) {
            ChpOption known = BY_NAME.get(option.longestName());
            return known != null ? known.label : option.longestName();
        }
        return String.valueOf(spec);
    }

    /** The first {@code --flag=value} word whose flag takes no value (picocli does not say which). */
    private static String attachedToken(String[] args) {
        for (String arg : args) {
            int equals = arg.indexOf('=');
            ChpOption option = equals > 0 ? BY_NAME.get(arg.substring(0, equals)) : null;
            if (option != null && !option.takesValue()) {
                return arg;
            }
        }
        return String.join(" ", args);
    }

    private static void rejectUnmatched(List<String> unmatched) throws UsageException {
        for (String arg : unmatched) {
            if (arg.length() > 1 && arg.startsWith("-")) {
                throw new UsageException("error: unknown option '" + arg + "'");
            }
        }
        if (!unmatched.isEmpty()) {
            throw new UsageException("error: too many arguments. Expected 0 arguments but got "
                    + unmatched.size() + ": " + String.join(", ", unmatched) + ".");
        }
    }

    /** CHP declares these with commander's {@code conflicts()}; defaults never conflict, only given options. */
    private void rejectConflicts() throws UsageException {
        rejectConflict(ChpOption.SOCKET, ChpOption.IP, ChpOption.PORT);
        rejectConflict(ChpOption.API_SOCKET, ChpOption.API_IP, ChpOption.API_PORT);
        rejectConflict(ChpOption.METRICS_SOCKET, ChpOption.METRICS_IP, ChpOption.METRICS_PORT);
    }

    private void rejectConflict(ChpOption socket, ChpOption... others) throws UsageException {
        if (!given(socket)) {
            return;
        }
        for (ChpOption other : others) {
            if (given(other)) {
                throw new UsageException("error: option '" + socket.label + "' cannot be used with option '"
                        + other.label + "'");
            }
        }
    }

    private HubgateConfig buildConfig() throws UsageException {
        HubgateConfig.Builder b = HubgateConfig.builder();

        Map<String, String> customHeaders = customHeaders();
        String logLevel = logLevel();

        // Listeners (CHP's parseListenOptions).
        String socket = text(ChpOption.SOCKET);
        Integer port = port(ChpOption.PORT, 0);
        if (socket != null) {
            b.proxyListen = ListenAddress.unix(path(ChpOption.SOCKET, socket));
        } else {
            String ip = raw(ChpOption.IP);
            if ("*".equals(ip)) {
                warnings.add(IP_STAR_WARNING);
                ip = "";
            }
            b.proxyListen = ListenAddress.tcp(ip, port == null ? DEFAULT_PORT : port);
        }

        String apiSocket = text(ChpOption.API_SOCKET);
        if (apiSocket != null) {
            b.apiListen = ListenAddress.unix(path(ChpOption.API_SOCKET, apiSocket));
        } else {
            Integer apiPort = port(ChpOption.API_PORT, 0);
            if (apiPort == null) {
                apiPort = defaultApiPort(b.proxyListen);
            }
            String apiIp = given(ChpOption.API_IP) ? raw(ChpOption.API_IP) : "localhost";
            b.apiListen = ListenAddress.tcp(apiIp, apiPort);
        }

        String metricsSocket = text(ChpOption.METRICS_SOCKET);
        Integer metricsPort = port(ChpOption.METRICS_PORT, 0);
        if (metricsSocket != null) {
            b.metricsListen = ListenAddress.unix(path(ChpOption.METRICS_SOCKET, metricsSocket));
        } else if (metricsPort != null) {
            String metricsIp = given(ChpOption.METRICS_IP) ? raw(ChpOption.METRICS_IP) : "";
            b.metricsListen = ListenAddress.tcp(metricsIp, metricsPort);
        } else {
            b.metricsListen = null;
        }

        b.authToken = authToken();

        // TLS. CHP reads these files before checking the redirect and error options; so do we.
        b.proxyTls = serverTls(ChpOption.SSL_KEY, ChpOption.SSL_CERT, ChpOption.SSL_CA,
                ChpOption.SSL_REQUEST_CERT, ChpOption.SSL_REJECT_UNAUTHORIZED, ENV_SSL_KEY_PASSPHRASE);
        b.apiTls = serverTls(ChpOption.API_SSL_KEY, ChpOption.API_SSL_CERT, ChpOption.API_SSL_CA,
                ChpOption.API_SSL_REQUEST_CERT, ChpOption.API_SSL_REJECT_UNAUTHORIZED, ENV_API_SSL_KEY_PASSPHRASE);
        b.clientTls = clientTls();

        // Redirect server and error pages.
        Integer redirectPort = port(ChpOption.REDIRECT_PORT, 0);
        b.redirectTo = port(ChpOption.REDIRECT_TO, 1);
        String errorTarget = text(ChpOption.ERROR_TARGET);
        String errorPath = text(ChpOption.ERROR_PATH);
        if (redirectPort != null && b.proxyTls == null) {
            throw new UsageException("error: HTTPS redirection specified but certificates not provided.");
        }
        if (errorTarget != null && errorPath != null) {
            throw new UsageException("error: Cannot specify both error-target and error-path. Pick one.");
        }
        // CHP starts no redirect server for a socket listener or when the proxy itself is on port 80.
        boolean redirectPossible = !b.proxyListen.isUnix() && b.proxyListen.port() != 80;
        b.redirectPort = redirectPossible ? redirectPort : null;
        b.errorTarget = errorTarget == null || errorTarget.endsWith("/") ? errorTarget : errorTarget + "/";
        b.errorPath = errorPath == null ? null : path(ChpOption.ERROR_PATH, errorPath);
        b.defaultTarget = text(ChpOption.DEFAULT_TARGET);

        String pidFile = text(ChpOption.PID_FILE);
        b.pidFile = pidFile == null ? null : path(ChpOption.PID_FILE, pidFile);

        // Forwarding.
        b.xForward = !given(ChpOption.NO_X_FORWARD);
        b.prependPath = !given(ChpOption.NO_PREPEND_PATH);
        b.includePrefix = !given(ChpOption.NO_INCLUDE_PREFIX);
        b.autoRewrite = given(ChpOption.AUTO_REWRITE);
        b.changeOrigin = given(ChpOption.CHANGE_ORIGIN);
        b.protocolRewrite = text(ChpOption.PROTOCOL_REWRITE);
        b.customHeaders = customHeaders;
        b.hostRouting = given(ChpOption.HOST_ROUTING);

        // Logging, timeouts, storage.
        b.logLevel = logLevel;
        b.timeout = millisOrNone(ChpOption.TIMEOUT);
        b.proxyTimeout = millisOrNone(ChpOption.PROXY_TIMEOUT);
        Duration keepAlive = millisOrNone(ChpOption.KEEP_ALIVE_TIMEOUT);
        b.keepAliveTimeout = keepAlive == null ? DEFAULT_KEEP_ALIVE : keepAlive; // CHP: 0 means the default
        b.storageBackend = storageBackend();

        // Hubgate additions.
        b.websocketActivityBothWays = given(ChpOption.WS_ACTIVITY_BOTH_WAYS);
        b.accessLog = given(ChpOption.ACCESS_LOG);
        Duration shutdown = millis(ChpOption.SHUTDOWN_TIMEOUT);
        b.shutdownGrace = shutdown == null ? DEFAULT_SHUTDOWN_GRACE : shutdown;
        Duration upstreamIdle = millis(ChpOption.UPSTREAM_KEEP_ALIVE_TIMEOUT);
        b.upstreamKeepAliveTimeout = upstreamIdle == null ? UpstreamConnector.DEFAULT_IDLE_TIMEOUT : upstreamIdle;
        Duration flush = millis(ChpOption.STATE_FLUSH_INTERVAL);
        if (flush != null && flush.isZero()) {
            throw invalid(ChpOption.STATE_FLUSH_INTERVAL, raw(ChpOption.STATE_FLUSH_INTERVAL),
                    "Expected a whole number of milliseconds from 1 to " + MAX_MILLIS + ".");
        }
        b.stateFlushInterval = flush == null ? DEFAULT_STATE_FLUSH_INTERVAL : flush;

        return b.build();
    }

    private static int defaultApiPort(ListenAddress proxy) throws UsageException {
        if (proxy.isUnix()) {
            return DEFAULT_PORT + 1;
        }
        if (proxy.port() == 0) {
            return 0; // proxy on an ephemeral port: the API gets one too
        }
        int apiPort = proxy.port() + 1;
        if (apiPort > 65535) {
            throw new UsageException("error: the API port defaults to --port + 1 = " + apiPort
                    + ", which is not a valid port; give --api-port");
        }
        return apiPort;
    }

    // --- option values -------------------------------------------------------------------------

    private boolean given(ChpOption option) {
        return parsed.hasMatchedOption(option.longName());
    }

    /** The value as given (last occurrence wins), possibly empty; null when the option is absent. */
    private String raw(ChpOption option) {
        return given(option) ? parsed.matchedOptionValue(option.longName(), (String) null) : null;
    }

    /** The value, with CHP's truthiness: an absent or empty value means "not set". */
    private String text(ChpOption option) {
        String value = raw(option);
        return value == null || value.isEmpty() ? null : value;
    }

    private static UsageException invalid(ChpOption option, String value, String expectation) {
        return new UsageException("error: option '" + option.label + "' argument '" + value
                + "' is invalid. " + expectation);
    }

    /** A port number, {@code min}..65535, or null when the option is absent. */
    private Integer port(ChpOption option, int min) throws UsageException {
        String value = raw(option);
        if (value == null) {
            return null;
        }
        Long number = wholeNumber(value);
        if (number == null || number < min || number > 65535) {
            throw invalid(option, value, "Expected a port number from " + min + " to 65535.");
        }
        return number.intValue();
    }

    /** Milliseconds, or null when the option is absent. */
    private Duration millis(ChpOption option) throws UsageException {
        String value = raw(option);
        if (value == null) {
            return null;
        }
        Long number = wholeNumber(value);
        if (number == null || number > MAX_MILLIS) {
            throw invalid(option, value, "Expected a whole number of milliseconds from 0 to " + MAX_MILLIS + ".");
        }
        return Duration.ofMillis(number);
    }

    /** Milliseconds where 0 (and absence) means "none", as CHP treats a falsy timeout. */
    private Duration millisOrNone(ChpOption option) throws UsageException {
        Duration value = millis(option);
        return value == null || value.isZero() ? null : value;
    }

    /** Non-negative decimal integer (surrounding blanks allowed), or null if it is not one. */
    private static Long wholeNumber(String value) {
        String digits = value.strip();
        if (digits.isEmpty() || digits.length() > 18) {
            return null;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return null;
            }
        }
        return Long.parseLong(digits);
    }

    private static Path path(ChpOption option, String value) throws UsageException {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw invalid(option, value, "Not a valid path: " + e.getReason() + ".");
        }
    }

    private String logLevel() throws UsageException {
        String value = raw(ChpOption.LOG_LEVEL);
        if (value == null) {
            return "info";
        }
        String level = value.toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            throw invalid(ChpOption.LOG_LEVEL, value, "Allowed choices are " + String.join(", ", LOG_LEVELS) + ".");
        }
        return level;
    }

    /**
     * {@code memory} or {@code file:///absolute/dir} (also {@code file:/absolute/dir}); anything else, including
     * CHP's module names, is refused with what is supported.
     */
    private String storageBackend() throws UsageException {
        String value = raw(ChpOption.STORAGE_BACKEND);
        if (value == null || value.equals("memory")) {
            return "memory";
        }
        String supported = "This build supports 'memory' (the default: routes are kept in memory, as CHP does) "
                + "and 'file:///absolute/state-dir' (a journal on local disk).";
        if (!value.regionMatches(true, 0, "file:", 0, 5)) {
            throw invalid(ChpOption.STORAGE_BACKEND, value, supported);
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(value);
        } catch (java.net.URISyntaxException e) {
            throw invalid(ChpOption.STORAGE_BACKEND, value, "Not a valid URI: " + e.getMessage() + ".");
        }
        if (uri.isOpaque() || uri.getPath() == null || !uri.getPath().startsWith("/")) {
            throw invalid(ChpOption.STORAGE_BACKEND, value,
                    "A file: backend names an absolute directory, e.g. file:///var/lib/hubgate.");
        }
        if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
            throw invalid(ChpOption.STORAGE_BACKEND, value,
                    "A file: backend is a local directory and names no host: file:///path.");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(ChpOption.STORAGE_BACKEND, value, "A file: backend has no query or fragment.");
        }
        return value;
    }

    /** CHP §2.3: trim; name before the first colon (which must not be first), value after it; last wins. */
    private Map<String, String> customHeaders() throws UsageException {
        Map<String, String> headers = new LinkedHashMap<>();
        if (!given(ChpOption.CUSTOM_HEADER)) {
            return headers;
        }
        List<String> values = parsed.matchedOptionValue(ChpOption.CUSTOM_HEADER.longName(), List.<String>of());
        for (String given : values) {
            String value = given.strip();
            int colon = value.indexOf(':');
            if (colon <= 0) {
                throw new UsageException("A colon was expected in custom header: " + value);
            }
            headers.put(value.substring(0, colon).strip(), value.substring(colon + 1).strip());
        }
        return headers;
    }

    // --- environment -------------------------------------------------------------------------

    private String envValue(String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** {@code CONFIGPROXY_AUTH_TOKEN}, or the content of {@code CONFIGPROXY_AUTH_TOKEN_FILE}. */
    private String authToken() throws UsageException {
        String token = envValue(ENV_AUTH_TOKEN);
        String file = envValue(ENV_AUTH_TOKEN_FILE);
        if (token != null && file != null) {
            throw new UsageException("error: both " + ENV_AUTH_TOKEN + " and " + ENV_AUTH_TOKEN_FILE
                    + " are set (but are exclusive)");
        }
        if (file == null) {
            return token;
        }
        String content;
        try {
            content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | InvalidPathException e) {
            throw new UsageException("error: cannot read " + ENV_AUTH_TOKEN_FILE + " '" + file + "': "
                    + describe(e));
        }
        // Like the shell's $(< file) in CHP's docker entrypoint: trailing newlines are not part of the token.
        int end = content.length();
        while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
            end--;
        }
        String fromFile = content.substring(0, end);
        return fromFile.isEmpty() ? null : fromFile;
    }

    // --- TLS -----------------------------------------------------------------------------------

    /** A listener's TLS settings, or null when neither key nor certificate is given (plain HTTP). */
    private TlsServerConfig serverTls(ChpOption keyOption, ChpOption certOption, ChpOption caOption,
            ChpOption requestCert, ChpOption rejectUnauthorized, String passphraseVariable) throws UsageException {
        String key = text(keyOption);
        String cert = text(certOption);
        if (key == null && cert == null) {
            return null;
        }
        requirePair(keyOption, key, certOption, cert);
        String ca = text(caOption);
        return new TlsServerConfig(
                readableFile(keyOption, key),
                readableFile(certOption, cert),
                ca == null ? null : readableFile(caOption, ca),
                envValue(passphraseVariable),
                given(requestCert),
                given(rejectUnauthorized),
                text(ChpOption.SSL_PROTOCOL),
                text(ChpOption.SSL_CIPHERS),
                dhparam());
    }

    /** TLS towards targets. {@code --client-ssl-request-cert/-reject-unauthorized} are ignored, as in CHP. */
    private TlsClientConfig clientTls() throws UsageException {
        String key = text(ChpOption.CLIENT_SSL_KEY);
        String cert = text(ChpOption.CLIENT_SSL_CERT);
        String ca = text(ChpOption.CLIENT_SSL_CA);
        boolean insecure = given(ChpOption.INSECURE);
        if (key == null && cert == null && ca == null) {
            return insecure ? new TlsClientConfig(null, null, null, true) : TlsClientConfig.DEFAULT;
        }
        if (key != null || cert != null) {
            requirePair(ChpOption.CLIENT_SSL_KEY, key, ChpOption.CLIENT_SSL_CERT, cert);
        }
        dhparam(); // CHP reads it for client TLS too (and then ignores it)
        return new TlsClientConfig(
                key == null ? null : readableFile(ChpOption.CLIENT_SSL_KEY, key),
                cert == null ? null : readableFile(ChpOption.CLIENT_SSL_CERT, cert),
                ca == null ? null : readableFile(ChpOption.CLIENT_SSL_CA, ca),
                insecure);
    }

    private Path dhparam() throws UsageException {
        String dhparam = text(ChpOption.SSL_DHPARAM);
        return dhparam == null ? null : readableFile(ChpOption.SSL_DHPARAM, dhparam);
    }

    /** A key without its certificate (or the reverse) cannot make a TLS identity: say so at startup. */
    private static void requirePair(ChpOption keyOption, String key, ChpOption certOption, String cert)
            throws UsageException {
        if (key == null || cert == null) {
            ChpOption present = key == null ? certOption : keyOption;
            ChpOption missing = key == null ? keyOption : certOption;
            throw new UsageException("error: option '" + present.label + "' requires option '" + missing.label
                    + "' (a TLS key and its certificate go together)");
        }
    }

    private static Path readableFile(ChpOption option, String value) throws UsageException {
        Path file = path(option, value);
        String problem = null;
        if (!Files.exists(file)) {
            problem = "no such file";
        } else if (Files.isDirectory(file)) {
            problem = "is a directory";
        } else if (!Files.isReadable(file)) {
            problem = "permission denied";
        }
        if (problem != null) {
            throw new UsageException("error: cannot read " + option.longName() + " file '" + value + "': " + problem);
        }
        return file;
    }

    private static String describe(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof InvalidPathException invalid) {
            return "not a valid path (" + invalid.getReason() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
