package io.hubgate.transport;

import io.hubgate.config.ListenAddress;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A bound server socket (TCP or UNIX). Binding is synchronous and a failure is an exception with a
 * clear message: a listener that cannot bind is a startup error (Q4), unlike CHP which keeps running.
 * The listener keeps track of the connections it accepted, so that a shutdown can close them only after
 * what was written to them has been sent ({@link #closeConnections}).
 */
public final class Listener implements AutoCloseable {

    /** New connections accepted per turn of the event loop (Netty's default for server channels is 1). */
    static final int ACCEPTS_PER_TURN = 64;

    /** {@code S_IFMT} and {@code S_IFSOCK} of {@code st_mode}: the file-type bits, and the type of a socket. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Channel channel;
    private final Path socketFile;
    private final ChannelGroup connections;

    private Listener(Channel channel, Path socketFile, ChannelGroup connections) {
        this.channel = channel;
        this.socketFile = socketFile;
        this.connections = connections;
    }

    public static Listener bind(String what, ListenAddress address, Transport transport, EventLoopGroup loops,
                                ChannelHandler childInitializer) {
        ChannelGroup connections = new DefaultChannelGroup(what, GlobalEventExecutor.INSTANCE);
        ServerBootstrap b = new ServerBootstrap()
                .group(loops, loops) // accepts on one of the loops that serve the connections
                .channel(transport.serverChannel(address.isUnix()))
                // Netty's server channels accept one connection per turn of the event loop (and with epoll its
                // "maybe more data" guess, made for byte reads, stops the accept loop after one even with a higher
                // limit). Under load a turn takes about a millisecond, so 64 connections arriving together waited
                // up to 60-120 ms for their first response (docs/performance.md, p99). Accept until the queue is
                // empty, up to 64 per turn.
                .option(ChannelOption.RCVBUF_ALLOCATOR, new ServerChannelRecvByteBufAllocator()
                        .respectMaybeMoreData(false).maxMessagesPerRead(ACCEPTS_PER_TURN))
                .handler(new ConnectionTracker(connections))
                .childHandler(childInitializer);
        SocketAddress bindAddress;
        Path socketFile = null;
        if (address.isUnix()) {
            socketFile = address.socket().toAbsolutePath();
            removeStaleSocket(what, socketFile);
            bindAddress = transport.unixAddress(socketFile);
        } else {
            // No childOption(TCP_NODELAY): Netty's TCP channels start with it on (except on Android), and setting
            // it again costs one more setsockopt per accepted connection.
            b.option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true);
            bindAddress = tcpAddress(what, address);
        }
        try {
            Channel ch = b.bind(bindAddress).syncUninterruptibly().channel();
            return new Listener(ch, socketFile, connections);
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

    /**
     * Q19: a socket file left by a dead process is replaced; a live one is an error (address in use), and so
     * is a path that is not a socket at all: a mistyped {@code --socket} must not delete someone's file.
     */
    private static void removeStaleSocket(String what, Path socketFile) {
        if (!Files.exists(socketFile, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isSocket(socketFile)) {
            throw new ListenException("Cannot listen for " + what + " on " + socketFile
                    + ": the file exists and is not a socket", null);
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socketFile));
        } catch (IOException notListening) {
            try {
                Files.deleteIfExists(socketFile);
                return;
            } catch (IOException e) {
                throw new ListenException("Cannot remove stale socket " + socketFile + ": " + e.getMessage(), e);
            }
        }
        throw new ListenException("Cannot listen for " + what + " on " + socketFile
                + ": another process is listening on it", null);
    }

    private static boolean isSocket(Path file) {
        try {
            try {
                Object mode = Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                return mode instanceof Integer m && (m & S_IFMT) == S_IFSOCK;
            } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
                // Sockets are at least neither regular files, directories nor links.
                return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
            }
        } catch (IOException e) {
            return false;
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

    /**
     * Closes every connection this listener accepted once what was already written to it has reached the
     * kernel, waiting at most {@code timeout}; connections still busy after that are closed at once.
     * (Closing a channel, or shutting down its event loop, drops whatever is still queued in it.)
     *
     * @return true if every connection was closed within the timeout
     */
    public boolean closeConnections(Duration timeout) {
        for (Channel connection : connections) {
            // An empty write completes after every earlier write: close behind the last queued byte.
            connection.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        boolean closed = connections.newCloseFuture().awaitUninterruptibly(Math.max(0, timeout.toMillis()),
                TimeUnit.MILLISECONDS);
        if (!closed) {
            connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        return closed;
    }

    /** Open accepted connections. */
    public int connectionCount() {
        return connections.size();
    }

    /** Sees each accepted connection on the server channel, before it is registered, and remembers it. */
    @ChannelHandler.Sharable
    private static final class ConnectionTracker extends ChannelInboundHandlerAdapter {
        private final ChannelGroup connections;

        ConnectionTracker(ChannelGroup connections) {
            this.connections = connections;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel accepted) {
                connections.add(accepted); // removed again when it closes
            }
            ctx.fireChannelRead(msg);
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
