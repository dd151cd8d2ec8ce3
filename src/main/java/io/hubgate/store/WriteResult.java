package io.hubgate.store;

/**
 * The outcome of a write: the store version that includes it and whether it changed anything (a delete
 * of a missing route does not; its version is the store's version at the time).
 */
public record WriteResult(long version, boolean changed) {
}
