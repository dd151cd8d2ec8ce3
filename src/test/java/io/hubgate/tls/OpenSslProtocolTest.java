package io.hubgate.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenSslProtocolTest {

    @ParameterizedTest
    @CsvSource({"TLSv1_2, TLSv1.2", "TLSv1_3, TLSv1.3", "TLSv1.2, TLSv1.2", "TLSv1.3, TLSv1.3"})
    void pinnedVersions(String openSsl, String jdk) {
        assertThat(OpenSslProtocol.toJdk(openSsl)).isEqualTo(jdk);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SSLv23", "TLS", ""})
    void flexibleMethodsMeanTheDefaults(String openSsl) {
        assertThat(OpenSslProtocol.toJdk(openSsl)).isNull();
        assertThat(OpenSslProtocol.toJdk(null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv9", "SSLv3", "SSLv2", "tlsv1_2", "TLSv1_2_method", " "})
    void unknownNamesAreRejected(String openSsl) {
        assertThatThrownBy(() -> OpenSslProtocol.toJdk(openSsl))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported TLS protocol '" + openSsl + "' (expected one of TLSv1_2, TLSv1_3, TLSv1_1, TLSv1, SSLv23, TLS)");
    }

    @Test
    void versionsTheJvmDisabledAreRefusedAtStartup() {
        assumeFalse(OpenSslProtocol.serverDefaultProtocols().contains("TLSv1"), "this JVM has TLSv1 enabled");
        assertThatThrownBy(() -> OpenSslProtocol.toJdk("TLSv1"))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining("'TLSv1' (TLSv1) is disabled in this JVM");
        assertThatThrownBy(() -> OpenSslProtocol.toJdk("TLSv1_1"))
                .hasMessageContaining("'TLSv1_1' (TLSv1.1) is disabled in this JVM");
    }
}
