package io.hubgate.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a listener binds: either a TCP host/port or a UNIX domain socket path.
 *
 * <p>{@code host} follows CHP: {@code null} or {@code ""} means all interfaces (dual stack where
 * available), anything else is resolved to one address. Port 0 asks the OS for a free port (tests).
 */
public record ListenAddress(String host, int port, Path socket) {

    public static ListenAddress tcp(String host, int port) {
        return new ListenAddress(host, port, null);
    }

    public static ListenAddress unix(Path socket) {
        return new ListenAddress(null, 0, Objects.requireNonNull(socket, "socket"));
    }

    public boolean isUnix() {
        return socket != null;
    }

    /** True when the TCP listener should bind every interface. */
    public boolean allInterfaces() {
        return !isUnix() && (host == null || host.isEmpty());
    }

    /**
     * The address as startup lines show it: {@code 127.0.0.1:8000}, {@code *:8000} for all interfaces,
     * {@code [::1]:8000}, or the socket path. (CHP prints {@code port:ip}, a bug we do not copy.)
     */
    public String display() {
        if (isUnix()) {
            return socket.toString();
        }
        if (allInterfaces()) {
            return "*:" + port;
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
