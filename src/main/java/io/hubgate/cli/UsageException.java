package io.hubgate.cli;

/** A command-line or environment problem: the message goes to stderr and the process exits with 1. */
final class UsageException extends Exception {

    UsageException(String message) {
        super(message, null, false, false);
    }
}
