package io.hubgate.store;

/** A store could not do what was asked (unreachable, full disk, corrupt data …). */
public class StoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
