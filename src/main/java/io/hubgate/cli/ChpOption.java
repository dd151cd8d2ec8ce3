package io.hubgate.cli;

/**
 * Every command-line option Hubgate accepts, in the order of CHP's {@code --help}, with the section it is
 * listed under. {@link #label} is the flag text CHP's parser (commander) shows in its messages, e.g.
 * {@code '--port <n> (defaults to 8000)'}, so that error messages read exactly like CHP's.
 */
enum ChpOption {
    // Public proxy listener
    IP(Section.PROXY, "--ip <ip-address>",
            "Public-facing IP of the proxy. Unset or '' means all interfaces; '*' is accepted as an alias for ''."),
    PORT(Section.PROXY, "--port <n> (defaults to 8000)",
            "Public-facing port of the proxy."),
    SOCKET(Section.PROXY, "--socket <path>",
            "Path to a UNIX domain socket for the proxy to listen on. Alternative to --ip and --port."),

    // TLS on the public listener
    SSL_KEY(Section.PROXY_TLS, "--ssl-key <keyfile>",
            "SSL key to use, if any (PEM; passphrase from CONFIGPROXY_SSL_KEY_PASSPHRASE)."),
    SSL_CERT(Section.PROXY_TLS, "--ssl-cert <certfile>", "SSL certificate to use, if any."),
    SSL_CA(Section.PROXY_TLS, "--ssl-ca <ca-file>", "SSL certificate authority, if any."),
    SSL_REQUEST_CERT(Section.PROXY_TLS, "--ssl-request-cert", "Request SSL certs to authenticate clients."),
    SSL_REJECT_UNAUTHORIZED(Section.PROXY_TLS, "--ssl-reject-unauthorized",
            "Reject unauthorized SSL connections (only meaningful if --ssl-request-cert is given)."),
    SSL_PROTOCOL(Section.PROXY_TLS, "--ssl-protocol <ssl-protocol>",
            "Set a specific SSL protocol, e.g. TLSv1_2 (public and API listeners)."),
    SSL_CIPHERS(Section.PROXY_TLS, "--ssl-ciphers <ciphers>",
            "`:`-separated SSL cipher list (public and API listeners). Default excludes RC4."),
    SSL_ALLOW_RC4(Section.PROXY_TLS, "--ssl-allow-rc4",
            "Accepted for compatibility; has no effect (as in configurable-http-proxy)."),
    SSL_DHPARAM(Section.PROXY_TLS, "--ssl-dhparam <dhparam-file>",
            "SSL Diffie-Hellman parameters PEM file, if any."),

    // REST API listener
    API_IP(Section.API, "--api-ip <ip>", "Inward-facing IP for API requests (default: \"localhost\")."),
    API_PORT(Section.API, "--api-port <n>",
            "Inward-facing port for API requests (defaults to --port value + 1)."),
    API_SOCKET(Section.API, "--api-socket <path>",
            "Path to a UNIX domain socket for the API server to listen on. Alternative to --api-ip and --api-port."),
    API_SSL_KEY(Section.API, "--api-ssl-key <keyfile>",
            "SSL key for the API, if any (passphrase from CONFIGPROXY_API_SSL_KEY_PASSPHRASE)."),
    API_SSL_CERT(Section.API, "--api-ssl-cert <certfile>", "SSL certificate for the API, if any."),
    API_SSL_CA(Section.API, "--api-ssl-ca <ca-file>", "SSL certificate authority for the API, if any."),
    API_SSL_REQUEST_CERT(Section.API, "--api-ssl-request-cert",
            "Request SSL certs to authenticate clients for API requests."),
    API_SSL_REJECT_UNAUTHORIZED(Section.API, "--api-ssl-reject-unauthorized",
            "Reject unauthorized SSL connections (only meaningful if --api-ssl-request-cert is given)."),

    // TLS used by the proxy as a client, towards https:// targets
    CLIENT_SSL_KEY(Section.CLIENT_TLS, "--client-ssl-key <keyfile>",
            "SSL key the proxy presents to https:// targets, if any."),
    CLIENT_SSL_CERT(Section.CLIENT_TLS, "--client-ssl-cert <certfile>",
            "SSL certificate the proxy presents to https:// targets, if any."),
    CLIENT_SSL_CA(Section.CLIENT_TLS, "--client-ssl-ca <ca-file>",
            "SSL certificate authority used to verify https:// targets, if any."),
    CLIENT_SSL_REQUEST_CERT(Section.CLIENT_TLS, "--client-ssl-request-cert",
            "Accepted for compatibility; has no effect (as in configurable-http-proxy)."),
    CLIENT_SSL_REJECT_UNAUTHORIZED(Section.CLIENT_TLS, "--client-ssl-reject-unauthorized",
            "Accepted for compatibility; has no effect (as in configurable-http-proxy)."),
    INSECURE(Section.CLIENT_TLS, "--insecure", "Disable SSL certificate verification of https:// targets."),

    // Routing, errors and redirects
    DEFAULT_TARGET(Section.ROUTING, "--default-target <host>", "Default proxy target (proto://host[:port])."),
    ERROR_TARGET(Section.ROUTING, "--error-target <host>",
            "Alternate server for handling proxy errors (proto://host[:port])."),
    ERROR_PATH(Section.ROUTING, "--error-path <path>",
            "Directory of custom error pages (<code>.html, error.html)."),
    REDIRECT_PORT(Section.ROUTING, "--redirect-port <redirect-port>",
            "Redirect HTTP requests on this port to the server on HTTPS."),
    REDIRECT_TO(Section.ROUTING, "--redirect-to <port>",
            "Redirect HTTP requests from --redirect-port to this port."),
    PID_FILE(Section.ROUTING, "--pid-file <pid-file>", "Write our PID to a file."),

    // How requests are forwarded
    NO_X_FORWARD(Section.FORWARDING, "--no-x-forward", "Don't add 'X-Forwarded-*' headers to proxied requests."),
    NO_PREPEND_PATH(Section.FORWARDING, "--no-prepend-path", "Avoid prepending target paths to proxied requests."),
    NO_INCLUDE_PREFIX(Section.FORWARDING, "--no-include-prefix",
            "Don't include the routing prefix in proxied requests."),
    AUTO_REWRITE(Section.FORWARDING, "--auto-rewrite",
            "Rewrite the Location header host/port in redirect responses."),
    CHANGE_ORIGIN(Section.FORWARDING, "--change-origin", "Changes the origin of the host header to the target URL."),
    PROTOCOL_REWRITE(Section.FORWARDING, "--protocol-rewrite <proto>",
            "Rewrite the Location header protocol in redirect responses to the specified protocol."),
    CUSTOM_HEADER(Section.FORWARDING, "--custom-header <header>",
            "Custom header to add to proxied requests. Use the same option for multiple headers "
                    + "(--custom-header k1:v1 --custom-header k2:v2)."),
    HOST_ROUTING(Section.FORWARDING, "--host-routing", "Use host routing (host as first level of path)."),

    // Metrics listener
    METRICS_IP(Section.METRICS, "--metrics-ip <ip>", "IP for the metrics server (default: \"\", all interfaces)."),
    METRICS_PORT(Section.METRICS, "--metrics-port <n>", "Port of the metrics server. Defaults to no metrics server."),
    METRICS_SOCKET(Section.METRICS, "--metrics-socket <path>",
            "Path to a UNIX domain socket for the metrics server to listen on. "
                    + "Alternative to --metrics-ip and --metrics-port."),

    // Logging, timeouts, storage
    LOG_LEVEL(Section.GENERAL, "--log-level <loglevel>",
            "Log level: error, warn, info, http, verbose, debug or silly (default: \"info\")."),
    TIMEOUT(Section.GENERAL, "--timeout <n>",
            "Timeout (in millis) when proxy drops connection for a request."),
    PROXY_TIMEOUT(Section.GENERAL, "--proxy-timeout <n>",
            "Timeout (in millis) when proxy receives no response from target."),
    STORAGE_BACKEND(Section.GENERAL, "--storage-backend <storage-class>",
            "Route storage: \"memory\" (the default; routes are lost when the proxy exits, as in CHP) or "
                    + "file:///absolute/state-dir (a journal there; routes survive restarts)."),
    KEEP_ALIVE_TIMEOUT(Section.GENERAL, "--keep-alive-timeout <timeout>",
            "Set timeout (in milliseconds) for Keep-Alive connections (default: 5000)."),

    // Hubgate additions, not in configurable-http-proxy
    WS_ACTIVITY_BOTH_WAYS(Section.HUBGATE, "--ws-activity-both-ways",
            "Count websocket data from server to client as route activity too (default: client to server only)."),
    ACCESS_LOG(Section.HUBGATE, "--access-log", "Log one line per proxied request at info level."),
    SHUTDOWN_TIMEOUT(Section.HUBGATE, "--shutdown-timeout <ms>",
            "On SIGTERM, wait at most this long for in-flight requests to finish (default: 10000)."),
    UPSTREAM_KEEP_ALIVE_TIMEOUT(Section.HUBGATE, "--upstream-keep-alive-timeout <ms>",
            "How long an idle connection to a target is kept for reuse (default: 60000; a target's shorter "
                    + "Keep-Alive: timeout wins; 0: a new connection per request)."),
    STATE_FLUSH_INTERVAL(Section.HUBGATE, "--state-flush-interval <ms>",
            "How often routes' last_activity is written to the route store, and at shutdown (default: 10000)."),

    HELP(Section.INFO, "-h, --help", "Display help for command."),
    VERSION(Section.INFO, "-V, --version", "Output the version number.");

    /** Help sections, in display order. */
    enum Section {
        PROXY("Public proxy"),
        PROXY_TLS("Public proxy TLS"),
        API("REST API"),
        CLIENT_TLS("TLS towards https:// targets"),
        ROUTING("Routing, errors and redirects"),
        FORWARDING("Forwarding"),
        METRICS("Metrics"),
        GENERAL("Logging, timeouts and storage"),
        HUBGATE("Hubgate additions (not in configurable-http-proxy)"),
        INFO("Information");

        final String heading;

        Section(String heading) {
            this.heading = heading;
        }
    }

    final Section section;
    /** CHP's flags text, e.g. {@code --port <n> (defaults to 8000)}; used in messages and help. */
    final String label;
    final String description;

    ChpOption(Section section, String label, String description) {
        this.section = section;
        this.label = label;
        this.description = description;
    }

    /** The long option name, e.g. {@code --port}. */
    String longName() {
        String first = label.split(" ")[0];
        if (this == HELP || this == VERSION) {
            return label.substring(label.indexOf("--"));
        }
        return first;
    }

    /** Whether the option takes a value ({@code --opt value} / {@code --opt=value}). */
    boolean takesValue() {
        return label.contains("<");
    }
}
