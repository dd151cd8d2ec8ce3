package io.hubgate.config;

import java.nio.file.Path;

/**
 * TLS material for a listener (public {@code --ssl-*} or API {@code --api-ssl-*}).
 *
 * @param key PEM private key (PKCS#8 or PKCS#1), possibly encrypted
 * @param cert PEM certificate chain
 * @param ca PEM bundle of CAs used to verify client certificates (may be null)
 * @param keyPassphrase from {@code CONFIGPROXY_SSL_KEY_PASSPHRASE} / {@code CONFIGPROXY_API_SSL_KEY_PASSPHRASE}
 * @param requestCert ask clients for a certificate
 * @param rejectUnauthorized refuse clients without a valid certificate
 * @param protocol CHP's {@code --ssl-protocol} value (e.g. {@code TLSv1_2}) or null
 * @param ciphers OpenSSL-style cipher list or null for the default
 * @param dhparam DH parameter file or null (accepted for compatibility; JDK TLS picks its own groups)
 */
public record TlsServerConfig(
        Path key,
        Path cert,
        Path ca,
        String keyPassphrase,
        boolean requestCert,
        boolean rejectUnauthorized,
        String protocol,
        String ciphers,
        Path dhparam) {
}
