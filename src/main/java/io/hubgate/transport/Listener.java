package io.hubgate.transport;

import io.hubgate.config.ListenAddress;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A bound server socket (TCP or UNIX). Binding is synchronous and a failure is an exception with a
 * clear message: a listener that cannot bind is a startup error (Q4), unlike CHP which keeps running.
 */
public final class Listener implements AutoCloseable {

    private final Channel channel;
    private final Path socketFile;

    private Listener(Channel channel, Path socketFile) {
        this.channel = channel;
        this.socketFile = socketFile;
    }

    public static Listener bind(String what, ListenAddress address, Transport transport, EventLoopGroup boss,
                                EventLoopGroup workers, ChannelHandler childInitializer) {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel(address.isUnix()))
                .childHandler(childInitializer);
        SocketAddress bindAddress;
        Path socketFile = null;
        if (address.isUnix()) {
            socketFile = address.socket().toAbsolutePath();
            removeStaleSocket(what, socketFile);
            bindAddress = transport.unixAddress(socketFile);
        } else {
            b.option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true);
            bindAddress = tcpAddress(what, address);
        }
        try {
            Channel ch = b.bind(bindAddress).syncUninterruptibly().channel();
            return new Listener(ch, socketFile);
        } catch (Exception e) {
            throw new ListenException("Cannot listen for " + what + " on " + describe(address) + ": "
                    + e.getMessage(), e);
        }
    }

    private static SocketAddress tcpAddress(String what, ListenAddress address) {
        if (address.allInterfaces()) {
            return new InetSocketAddress(address.port());
        }
        try {
            // Like Node, a name resolves to one address: the first the resolver returns.
            return new InetSocketAddress(InetAddress.getByName(address.host()), address.port());
        } catch (UnknownHostException e) {
            throw new ListenException("Cannot listen for " + what + " on " + describe(address)
                    + ": unknown host " + address.host(), e);
        }
    }

    /** Q19: a socket file left by a dead process is replaced; a live one is an error (address in use). */
    private static void removeStaleSocket(String what, Path socketFile) {
        if (!Files.exists(socketFile)) {
            return;
        }
        try (java.nio.channels.SocketChannel probe =
                     java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            probe.connect(java.net.UnixDomainSocketAddress.of(socketFile));
            throw new ListenException("Cannot listen for " + what + " on " + socketFile
                    + ": another process is listening on it", null);
        } catch (IOException notListening) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                throw new ListenException("Cannot remove stale socket " + socketFile + ": " + e.getMessage(), e);
            }
        }
    }

    static String describe(ListenAddress address) {
        if (address.isUnix()) {
            return address.socket().toString();
        }
        String host = address.allInterfaces() ? "*" : address.host();
        return host + ":" + address.port();
    }

    public Channel channel() {
        return channel;
    }

    /** The actually bound TCP port (useful with port 0), or -1 for UNIX sockets. */
    public int port() {
        SocketAddress a = channel.localAddress();
        return a instanceof InetSocketAddress inet ? inet.getPort() : -1;
    }

    /** Stops accepting; established child connections are not touched. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException ignored) {
                // best effort: the next start replaces a stale file anyway
            }
        }
    }

    /** A listener could not be bound. */
    public static final class ListenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ListenException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
