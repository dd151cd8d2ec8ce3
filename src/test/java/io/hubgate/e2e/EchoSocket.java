package io.hubgate.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client websocket ({@code java.net.http.WebSocket}) talking to the echo endpoint of the test's
 * single-user server, through the proxy.
 */
final class EchoSocket implements AutoCloseable {

    private final WebSocket socket;
    private final Listener listener;

    private EchoSocket(WebSocket socket, Listener listener) {
        this.socket = socket;
        this.listener = listener;
    }

    static EchoSocket open(HttpClient client, URI uri, Duration timeout) throws Exception {
        Listener listener = new Listener();
        WebSocket socket = client.newWebSocketBuilder()
                .connectTimeout(timeout)
                .buildAsync(uri, listener)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return new EchoSocket(socket, listener);
    }

    /** Sends one text message and returns the next text message received, within {@code timeout}. */
    String echo(String message, Duration timeout) throws Exception {
        socket.sendText(message, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        String reply = listener.messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (reply == null) {
            throw new AssertionError("no echo within " + timeout + " (socket "
                    + (listener.closed.isDone() ? listener.closed.getNow("") : "still open") + ")");
        }
        return reply;
    }

    /**
     * Waits until the connection ends, by a close frame or an error (the upstream went away).
     *
     * @return how it ended, e.g. {@code "close 1006"} or {@code "error java.io.IOException: ..."}
     */
    String awaitEnd(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return listener.closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        socket.abort();
    }

    private static final class Listener implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            messages.add("(unexpected binary frame of " + data.remaining() + " bytes)");
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete("close " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete("error " + error);
        }
    }
}
