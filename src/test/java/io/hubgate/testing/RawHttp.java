package io.hubgate.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately simple HTTP/1.1 client over a plain socket, for what real clients refuse to send
 * (malformed framing or escapes, dot segments, forbidden headers, pipelining, bytes right after a
 * websocket handshake). Every read has a timeout, so a server that never answers fails the test instead
 * of hanging it.
 */
public final class RawHttp implements AutoCloseable {

    public static final int CONNECT_TIMEOUT_MILLIS = 5000;
    public static final int READ_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttp(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        // buffered: status and header lines are read a byte at a time
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /**
     * A request's text: request line, {@code Host: 127.0.0.1}, the given header lines, and Content-Length
     * when there is a body. The length counts ISO-8859-1 bytes, as {@link #send(String)} writes them.
     */
    public static String request(String method, String target, String body, String... headerLines) {
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        sb.append("Host: 127.0.0.1\r\n");
        for (String h : headerLines) {
            sb.append(h).append("\r\n");
        }
        if (body != null) {
            sb.append("Content-Length: ").append(body.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n");
        }
        sb.append("\r\n");
        if (body != null) {
            sb.append(body);
        }
        return sb.toString();
    }

    /** Sends text as ISO-8859-1, one byte per char, so tests can write any byte value. */
    public RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends one {@link #request} and reads its response (without a body for HEAD). */
    public Response exchange(String method, String target, String body, String... headerLines) throws IOException {
        send(request(method, target, body, headerLines));
        return read(method.equals("HEAD"));
    }

    /** The (buffered) input after a response head, e.g. for websocket frames after a 101. */
    public InputStream in() {
        return in;
    }

    /** A parsed response. {@code body} is read by chunked framing, Content-Length, or until close. */
    public record Response(String statusLine, int status, Map<String, List<String>> headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** All values of a header joined with ", ", or null if absent. */
        public String header(String name) {
            List<String> values = headerValues(name);
            return values.isEmpty() ? null : String.join(", ", values);
        }

        /** Each value of a header in the order received; empty if absent. */
        public List<String> headerValues(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }
    }

    public Response read() throws IOException {
        return read(false);
    }

    /** Reads one response; {@code headOnly} for responses to HEAD or a 101 (no body is read). */
    public Response read(boolean headOnly) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(h.substring(colon + 1).trim());
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        List<String> length = headers.get("content-length");
        List<String> te = headers.get("transfer-encoding");
        byte[] body;
        if (headOnly || status == 204 || status == 304 || status < 200) {
            body = new byte[0];
        } else if (te != null && te.get(0).equalsIgnoreCase("chunked")) {
            body = chunked(); // chunked wins over Content-Length (RFC 9112 6.3)
        } else if (length != null) {
            body = in.readNBytes(Integer.parseInt(length.get(0)));
        } else {
            body = in.readAllBytes();
        }
        return new Response(statusLine, status, headers, body);
    }

    /**
     * True if the server closed the connection (EOF) within the socket timeout; any bytes still arriving
     * before the close (a websocket close frame, say) are skipped. At most 1 MiB is skipped.
     */
    public boolean closedByPeer() throws IOException {
        byte[] skip = new byte[8192];
        try {
            for (int total = 0; total < 1024 * 1024; ) {
                int n = in.read(skip);
                if (n == -1) {
                    return true;
                }
                total += n;
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset counts as closed
        }
    }

    /**
     * True if the next read is EOF (or a reset) within {@code millis}. Unlike {@link #closedByPeer()} a
     * byte arriving first means false, so a test can assert that nothing more was answered.
     */
    public boolean closedWithin(int millis) throws IOException {
        int previous = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset counts as closed
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(previous);
            }
        }
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line();
            if (sizeLine == null) {
                throw new IOException("connection closed inside a chunked body");
            }
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                for (String t = line(); t != null && !t.isEmpty(); t = line()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            line();
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = buf.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, len, StandardCharsets.ISO_8859_1);
            }
            buf.write(c);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
    }

    public void setTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
