package io.hubgate.proxy;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts exchanges in progress (HTTP requests and open websockets) so that shutdown can wait for
 * them, within a bound, after the listeners stopped accepting.
 */
public final class InFlight {

    private final LongAdder requests = new LongAdder(); // contention-free: touched twice per request
    private volatile boolean draining;

    void begin() {
        requests.increment();
    }

    void end() {
        requests.decrement();
    }

    public int count() {
        return requests.intValue();
    }

    /**
     * From now on responses carry {@code Connection: close}; idle keep-alive connections are closed at the
     * end of the drain, once their queued bytes are sent ({@code Listener#closeConnections}).
     */
    public void startDraining() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }
}
