package io.hubgate.store;

/** A write named an epoch the store no longer has: the writer must resynchronise first. */
public class StaleEpochException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StaleEpochException(String message) {
        super(message);
    }
}
