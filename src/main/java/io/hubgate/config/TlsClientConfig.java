package io.hubgate.config;

import java.nio.file.Path;

/**
 * TLS settings for connections Hubgate makes to {@code https://} targets and the error target.
 *
 * @param key client private key (PEM) or null
 * @param cert client certificate (PEM) or null
 * @param ca PEM bundle of trusted CAs or null for the JDK's default trust store
 * @param insecure {@code --insecure}: do not verify upstream certificates or host names
 */
public record TlsClientConfig(Path key, Path cert, Path ca, boolean insecure) {

    public static final TlsClientConfig DEFAULT = new TlsClientConfig(null, null, null, false);
}
