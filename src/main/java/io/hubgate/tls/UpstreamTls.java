package io.hubgate.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Client-side TLS towards {@code https://} targets: the client {@link SslContext} plus the per-connection
 * settings that depend on the target — SNI and host-name verification.
 * Create with {@link TlsContexts#forClient}; one instance is shared by all connections.
 */
public final class UpstreamTls {

    /** {@link SSLParameters#setEndpointIdentificationAlgorithm} value for RFC 2818 host-name checks. */
    static final String HOST_NAME_VERIFICATION = "HTTPS";

    private final SslContext context;
    private final boolean insecure;

    UpstreamTls(SslContext context, boolean insecure) {
        this.context = context;
        this.insecure = insecure;
    }

    /** The underlying client context (trust, client certificate). */
    public SslContext context() {
        return context;
    }

    /** True with {@code --insecure}: no certificate or host-name verification. */
    public boolean insecure() {
        return insecure;
    }

    /**
     * A handler for one upstream connection, to be placed first in the channel's pipeline.
     *
     * @param host the target's host as written in its URL: a DNS name, an IPv4 literal or an IPv6 literal
     *             (with or without brackets). Sent as SNI when it is a name, and checked against the
     *             certificate unless insecure.
     * @param port the target's port (used by the JDK for session resumption)
     */
    public SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
        String peerHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        SslHandler handler = context.newHandler(alloc, peerHost, port);
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm(insecure ? null : HOST_NAME_VERIFICATION);
        // IP literals never go into SNI (RFC 6066 §3); neither do names the JDK rejects (e.g. with '_').
        SNIHostName serverName = isIpLiteral(peerHost) ? null : sniHostName(peerHost);
        parameters.setServerNames(serverName == null ? List.of() : List.of(serverName));
        engine.setSSLParameters(parameters);
        return handler;
    }

    private static boolean isIpLiteral(String host) {
        return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
    }

    private static SNIHostName sniHostName(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        try {
            return new SNIHostName(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
