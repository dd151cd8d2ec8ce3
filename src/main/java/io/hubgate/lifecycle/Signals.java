package io.hubgate.lifecycle;

import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM handling. A JVM shutdown hook cannot tell the two apart nor control the exit code,
 * so Hubgate installs signal handlers: the handler only reports the signal, and {@code main} drains and
 * exits with CHP's code 2.
 */
public final class Signals {

    private Signals() {
    }

    @SuppressWarnings("sunapi")
    public static void onTermination(Consumer<String> handler) {
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), signal -> handler.accept(signal.getName()));
        }
    }
}
