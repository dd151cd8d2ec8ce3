package io.hubgate.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OpenSslCipherListTest {

    private static final List<String> SUPPORTED = List.of(
            "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
    private static final List<String> DEFAULTS = SUPPORTED;
    private static final List<String> TLS13_DEFAULTS =
            List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256");

    private static List<String> translate(String list) {
        return OpenSslCipherList.toJdk(list, SUPPORTED, DEFAULTS);
    }

    @Test
    void concreteNamesAreTranslatedInOrderAndTls13DefaultsKept() {
        assertThat(translate("ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA"))
                .startsWith("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                        "TLS_RSA_WITH_AES_128_CBC_SHA")
                .endsWith(TLS13_DEFAULTS.toArray(String[]::new))
                .hasSize(6);
    }

    @Test
    void keywordsAndUnsupportedNamesAreIgnored() {
        assertThat(translate("HIGH:!aNULL:ECDHE-RSA-AES128-GCM-SHA256:ECDHE+AESGCM:@STRENGTH:RC4-MD5:NOT-A-CIPHER"))
                .containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                        "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256");
    }

    @Test
    void removalAndReorderingOfConcreteNames() {
        assertThat(translate("ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA:ECDHE-RSA-AES256-GCM-SHA384"
                + ":-AES128-SHA:+ECDHE-RSA-AES128-GCM-SHA256"))
                .startsWith("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
                .doesNotContain("TLS_RSA_WITH_AES_128_CBC_SHA");
        // '!' bans a name for good, even if it is listed again later.
        assertThat(translate("!AES128-SHA:AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256"))
                .doesNotContain("TLS_RSA_WITH_AES_128_CBC_SHA")
                .contains("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void separatorsAndJdkNames() {
        assertThat(translate(" TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, DHE-RSA-AES128-GCM-SHA256 "))
                .startsWith("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void namedTls13SuitesReplaceTheTls13Defaults() {
        assertThat(translate("TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256"))
                .containsExactly("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void nothingUsableIsAnError() {
        assertThatThrownBy(() -> translate("HIGH:!aNULL:!MD5"))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining("'HIGH:!aNULL:!MD5'")
                .hasMessageContaining("names no cipher this JVM can use");
        assertThatThrownBy(() -> translate("RC4-MD5:DES-CBC3-SHA")).isInstanceOf(TlsConfigException.class);
        assertThatThrownBy(() -> translate("")).isInstanceOf(TlsConfigException.class);
    }

    @Test
    void tls13SuitesAreRecognised() {
        assertThat(OpenSslCipherList.isTls13Suite("TLS_AES_128_GCM_SHA256")).isTrue();
        assertThat(OpenSslCipherList.isTls13Suite("TLS_CHACHA20_POLY1305_SHA256")).isTrue();
        assertThat(OpenSslCipherList.isTls13Suite("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")).isFalse();
        assertThat(OpenSslCipherList.isTls13Suite("TLS_EMPTY_RENEGOTIATION_INFO_SCSV")).isFalse();
    }
}
