package io.hubgate.store;

/** Whether a store accepts writes right now; {@code detail} says why not (or what it is). */
public record StoreHealth(boolean writable, String detail) {

    public static StoreHealth ok(String detail) {
        return new StoreHealth(true, detail);
    }

    public static StoreHealth failing(String detail) {
        return new StoreHealth(false, detail);
    }
}
