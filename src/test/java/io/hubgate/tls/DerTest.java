package io.hubgate.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DerTest {

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 00",
        "1, 01",
        "127, 7F",
        "128, 81 80",
        "255, 81 FF",
        "256, 82 01 00",
        "65535, 82 FF FF",
        "65536, 83 01 00 00",
    })
    void lengthsUseTheShortestForm(int length, String expectedHeader) {
        byte[] encoded = Der.encode(Der.OCTET_STRING, new byte[length]);
        byte[] header = hex(expectedHeader);
        assertThat(encoded).hasSize(1 + header.length + length);
        assertThat(encoded[0]).isEqualTo((byte) Der.OCTET_STRING);
        for (int i = 0; i < header.length; i++) {
            assertThat(encoded[1 + i]).as("length byte %d", i).isEqualTo(header[i]);
        }
        Der.Element element = new Der.Reader(encoded).next(Der.OCTET_STRING);
        assertThat(element.valueLength()).isEqualTo(length);
        assertThat(element.encoded()).isEqualTo(encoded);
    }

    @Test
    void readsNestedStructures() {
        byte[] encoded = Der.sequence(Der.smallInteger(0), Der.sequence(Der.nullValue()), Der.octetString(new byte[] {1, 2, 3}));
        assertThat(encoded).isEqualTo(hex("30 0C 02 01 00 30 02 05 00 04 03 01 02 03"));
        Der.Reader fields = new Der.Reader(encoded).next(Der.SEQUENCE).contents();
        assertThat(fields.next(Der.INTEGER).value()).containsExactly(0);
        assertThat(fields.peekTag()).isEqualTo(Der.SEQUENCE);
        assertThat(fields.next(Der.SEQUENCE).contents().next(Der.NULL).valueLength()).isZero();
        assertThat(fields.next(Der.OCTET_STRING).value()).containsExactly(1, 2, 3);
        assertThat(fields.hasMore()).isFalse();
        assertThat(fields.peekTag()).isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",            // nothing
        "30",          // tag without length
        "30 05 02 01", // value shorter than its length
        "30 80 00 00", // indefinite length (BER, not DER)
        "04 85 01 00 00 00 00", // five length bytes
        "1F 01 00",    // multi-byte tag
        "04 82 01",    // truncated long-form length
    })
    void malformedInputIsRejected(String input) {
        assertThatThrownBy(() -> new Der.Reader(hex(input)).next()).isInstanceOf(Der.DerException.class);
    }

    @Test
    void aLengthCannotEscapeItsContainer() {
        // The inner OCTET STRING claims 4 bytes; its SEQUENCE only has 3 after the header.
        Der.Reader fields = new Der.Reader(hex("30 05 04 04 01 02 03 99")).next(Der.SEQUENCE).contents();
        assertThatThrownBy(fields::next).isInstanceOf(Der.DerException.class);
    }

    @Test
    void unexpectedTagIsReported() {
        assertThatThrownBy(() -> new Der.Reader(hex("02 01 00")).next(Der.SEQUENCE))
                .isInstanceOf(Der.DerException.class)
                .hasMessageContaining("0x30").hasMessageContaining("0x02");
    }

    @ParameterizedTest
    @CsvSource({
        "2A 86 48 86 F7 0D 01 01 01, 1.2.840.113549.1.1.1",
        "2A 86 48 CE 3D 02 01, 1.2.840.10045.2.1",
        "2A 86 48 CE 3D 03 01 07, 1.2.840.10045.3.1.7",
        "2B 65 70, 1.3.101.112",
        "2B 81 04 00 22, 1.3.132.0.34",
        "88 37, 2.999",
    })
    void objectIdentifiersAreDecoded(String value, String dotted) {
        assertThat(Der.oidToString(hex(value))).isEqualTo(dotted);
    }

    @Test
    void truncatedObjectIdentifierIsRejected() {
        assertThatThrownBy(() -> Der.oidToString(hex("2A 86"))).isInstanceOf(Der.DerException.class);
        assertThatThrownBy(() -> Der.oidToString(new byte[0])).isInstanceOf(Der.DerException.class);
    }
}
