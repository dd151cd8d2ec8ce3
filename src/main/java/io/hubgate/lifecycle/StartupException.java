package io.hubgate.lifecycle;

/** A startup step failed; the message says what to fix (main logs it and exits with code 1). */
public final class StartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
