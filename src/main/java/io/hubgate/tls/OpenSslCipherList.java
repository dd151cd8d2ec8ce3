package io.hubgate.tls;

import io.netty.handler.ssl.CipherSuiteConverter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates an OpenSSL cipher list ({@code --ssl-ciphers}) into JDK cipher suite names.
 *
 * <p>Concrete names ({@code ECDHE-RSA-AES128-GCM-SHA256}) are translated with Netty's
 * {@link CipherSuiteConverter}; IANA/JDK names ({@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}) pass through.
 * {@code -NAME} and {@code !NAME} remove a concrete name, {@code +NAME} moves it to the end. OpenSSL's
 * selection keywords ({@code HIGH}, {@code !RC4}, {@code ECDHE+AESGCM}, {@code @STRENGTH} …) have no JDK
 * equivalent and are ignored, as are names the JDK does not support or has disabled; if nothing usable
 * remains the list is rejected rather than silently replaced by something else.
 *
 * <p>As in Node, the list governs TLS 1.2 and below: TLS 1.3 suites ({@code TLS_AES_128_GCM_SHA256} …) may
 * be named in it, and if none is, the JDK's default TLS 1.3 suites stay enabled.
 */
final class OpenSslCipherList {

    private static final Logger log = LoggerFactory.getLogger(OpenSslCipherList.class);

    private OpenSslCipherList() {
    }

    /**
     * @param list OpenSSL cipher string (tokens separated by {@code :}, {@code ,} or spaces)
     * @param supported JDK suites that may be enabled (supported and not disabled by policy)
     * @param defaults the JDK's default suites, in preference order (source of the TLS 1.3 defaults)
     * @return JDK suite names in the order given
     */
    static List<String> toJdk(String list, Collection<String> supported, List<String> defaults) {
        Set<String> chosen = new LinkedHashSet<>();
        Set<String> banned = new HashSet<>();
        List<String> ignoredKeywords = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        for (String token : list.trim().split("[:, ]+")) {
            if (token.isEmpty()) {
                continue;
            }
            char op = token.charAt(0);
            boolean prefixed = op == '!' || op == '-' || op == '+';
            String name = prefixed ? token.substring(1) : token;
            String jdk = toJdkName(name);
            if (jdk == null) {
                if (looksLikeCipherName(name)) {
                    unsupported.add(token);
                } else {
                    ignoredKeywords.add(token);
                }
                continue;
            }
            if (op == '!') {
                banned.add(jdk);
                chosen.remove(jdk);
            } else if (op == '-') {
                chosen.remove(jdk);
            } else if (op == '+') {
                if (chosen.remove(jdk)) {
                    chosen.add(jdk);
                }
            } else if (!banned.contains(jdk)) {
                if (supported.contains(jdk)) {
                    chosen.add(jdk);
                } else {
                    unsupported.add(token);
                }
            }
        }
        if (!ignoredKeywords.isEmpty()) {
            log.debug("Ignoring OpenSSL cipher keywords that have no JDK equivalent: {}", ignoredKeywords);
        }
        if (!unsupported.isEmpty()) {
            log.warn("Ignoring ciphers this JVM does not support or has disabled: {}", unsupported);
        }
        boolean hasTls13 = chosen.stream().anyMatch(OpenSslCipherList::isTls13Suite);
        boolean hasOlder = chosen.stream().anyMatch(s -> !isTls13Suite(s));
        if (!hasOlder && !hasTls13) {
            throw new TlsConfigException("TLS cipher list '" + list + "' names no cipher this JVM can use"
                    + " (OpenSSL keywords such as HIGH or !RC4 are not translated; name the suites, e.g."
                    + " ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256)");
        }
        List<String> result = new ArrayList<>(chosen);
        if (!hasTls13) {
            for (String suite : defaults) {
                if (isTls13Suite(suite)) {
                    result.add(suite);
                }
            }
        }
        return result;
    }

    private static String toJdkName(String name) {
        if (name.startsWith("TLS_") || name.startsWith("SSL_")) {
            return name;
        }
        if (!looksLikeCipherName(name)) {
            return null;
        }
        return CipherSuiteConverter.toJava(name, "TLS");
    }

    /** OpenSSL suite names contain '-' (AES128-SHA, ECDHE-RSA-AES128-GCM-SHA256); keywords never do. */
    private static boolean looksLikeCipherName(String name) {
        return name.indexOf('-') > 0 && name.indexOf('+') < 0 && !name.startsWith("@");
    }

    /** TLS 1.3 suites are the only ones without a key-exchange part ("_WITH_"). */
    static boolean isTls13Suite(String jdkName) {
        return jdkName.startsWith("TLS_") && !jdkName.contains("_WITH_") && !jdkName.endsWith("_SCSV");
    }
}
