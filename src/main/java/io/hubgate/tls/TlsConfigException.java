package io.hubgate.tls;

/**
 * Bad TLS configuration: a missing or unreadable file, a file that holds no usable key or certificate, a
 * wrong passphrase, an unknown protocol name or a cipher list with nothing usable in it. The message names
 * the file or value at fault and is meant to be shown to the operator as is (the CLI prints it and exits 1).
 * It extends {@link IllegalArgumentException} so that callers treating every configuration error alike can.
 */
public final class TlsConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public TlsConfigException(String message) {
        super(message);
    }

    public TlsConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
