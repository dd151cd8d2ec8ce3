package io.hubgate.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Key decoding against OpenSSL-made fixtures (see src/test/resources/tls/README.md). */
class PrivateKeysTest {

    private static final String PASSPHRASE = "hubgate-test";

    @TempDir
    Path dir;

    private PrivateKey read(String fixture, String passphrase) throws Exception {
        return PrivateKeys.read(TestPki.fixtureFile(dir, fixture), passphrase);
    }

    /** The DER of the single PEM block of a fixture. */
    private byte[] der(String fixture) throws Exception {
        List<Pem.Block> blocks = Pem.readBlocks(TestPki.fixtureFile(dir, fixture), "fixture");
        return blocks.get(blocks.size() - 1).der();
    }

    @Test
    void pkcs1ConversionIsByteForByteWhatOpenSslWrites() throws Exception {
        byte[] converted = PrivateKeys.rsaPkcs1ToPkcs8(der("rsa-pkcs1.pem"), "test");
        assertThat(converted).isEqualTo(der("rsa-pkcs8.pem"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa-pkcs1.pem", "rsa-legacy-aes128.pem", "rsa-legacy-aes192.pem", "rsa-legacy-aes256.pem",
        "rsa-legacy-des3.pem", "rsa-pkcs8-encrypted.pem", "rsa-pkcs8-pbes1.pem"})
    void everyRsaFormatYieldsTheSameKey(String fixture) throws Exception {
        RSAPrivateCrtKey expected = (RSAPrivateCrtKey) read("rsa-pkcs8.pem", null);
        PrivateKey key = read(fixture, PASSPHRASE);
        assertThat(key).isInstanceOf(RSAPrivateCrtKey.class);
        assertThat(key.getEncoded()).isEqualTo(expected.getEncoded());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ec-sec1.pem", "ec-legacy-aes128.pem", "ec-pkcs8-encrypted.pem"})
    void everyEcFormatYieldsTheSameKey(String fixture) throws Exception {
        ECPrivateKey expected = (ECPrivateKey) read("ec-pkcs8.pem", null);
        ECPrivateKey key = (ECPrivateKey) read(fixture, PASSPHRASE);
        assertThat(key.getS()).isEqualTo(expected.getS());
        assertThat(key.getParams().getCurve()).isEqualTo(expected.getParams().getCurve());
        assertThat(key.getParams().getGenerator()).isEqualTo(expected.getParams().getGenerator());
    }

    @Test
    void sec1WithoutAParametersBlockOnAnotherCurve() throws Exception {
        ECPrivateKey key = (ECPrivateKey) read("ec384-sec1.pem", null);
        assertThat(key.getParams().getCurve().getField().getFieldSize()).isEqualTo(384);
    }

    @Test
    void aPassphraseForAnUnencryptedKeyIsIgnored() throws Exception {
        assertThat(read("rsa-pkcs1.pem", "whatever").getEncoded()).isEqualTo(read("rsa-pkcs1.pem", null).getEncoded());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa-legacy-aes128.pem", "rsa-legacy-aes256.pem", "rsa-legacy-des3.pem", "ec-legacy-aes128.pem",
        "rsa-pkcs8-encrypted.pem", "rsa-pkcs8-pbes1.pem", "ec-pkcs8-encrypted.pem"})
    void wrongOrMissingPassphrase(String fixture) throws Exception {
        Path file = TestPki.fixtureFile(dir, fixture);
        assertThatThrownBy(() -> PrivateKeys.read(file, "Hubgate-test"))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageStartingWith("TLS private key file " + file + ": ")
                .hasMessageContaining("wrong passphrase");
        assertThatThrownBy(() -> PrivateKeys.read(file, null))
                .isInstanceOf(TlsConfigException.class)
                .hasMessage("TLS private key file " + file + ": the key is encrypted but no passphrase was given");
    }

    @Test
    void nonAsciiPassphraseForPkcs8IsAClearError() throws Exception {
        Path file = TestPki.fixtureFile(dir, "rsa-pkcs8-encrypted.pem");
        assertThatThrownBy(() -> PrivateKeys.read(file, "pässphrase"))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("must be ASCII");
    }

    @Test
    void evpBytesToKeyMatchesOpenSsl() {
        // openssl enc -aes-256-cbc -P -md md5 -S 0102030405060708 -pass pass:hubgate-test  (key || iv)
        byte[] derived = PrivateKeys.evpBytesToKey(PASSPHRASE.getBytes(), HexFormat.of().parseHex("0102030405060708"), 48);
        assertThat(HexFormat.of().withUpperCase().formatHex(derived)).isEqualTo(
                "8094EA099C9AD6D64658E50D99EEE7695B90B48F673A1A7A850198CE3807D85B" + "21E76240D782ED4D5D703C7706D8E888");
    }

    @Test
    void theFirstKeyOfACombinedFileIsUsed() throws Exception {
        String combined = "-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n"
                + new String(TestPki.fixtureBytes("ec-sec1.pem")) + new String(TestPki.fixtureBytes("rsa-pkcs8.pem"));
        Path file = Files.writeString(dir.resolve("combined.pem"), combined);
        assertThat(PrivateKeys.read(file, null).getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void unsupportedOrBrokenKeysGetClearMessages() throws Exception {
        Path openssh = Files.writeString(dir.resolve("id_ed25519"),
                "-----BEGIN OPENSSH PRIVATE KEY-----\nAQID\n-----END OPENSSH PRIVATE KEY-----\n");
        assertThatThrownBy(() -> PrivateKeys.read(openssh, null))
                .hasMessageContaining(openssh.toString()).hasMessageContaining("'OPENSSH PRIVATE KEY' keys are not supported");

        Path certOnly = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> PrivateKeys.read(certOnly, null))
                .hasMessageContaining(certOnly.toString()).hasMessageContaining("contains no private key");

        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN PRIVATE KEY-----\nAQID\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> PrivateKeys.read(garbage, null))
                .hasMessageContaining(garbage.toString()).hasMessageContaining("not a valid PKCS#8 private key");

        Path garbagePkcs1 = Files.writeString(dir.resolve("garbage-rsa.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAQID\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> PrivateKeys.read(garbagePkcs1, null))
                .hasMessageContaining(garbagePkcs1.toString()).hasMessageContaining("not a valid PKCS#1 RSA private key");

        Path notAKey = Files.writeString(dir.resolve("random.key"), "just some text\n");
        assertThatThrownBy(() -> PrivateKeys.read(notAKey, null))
                .hasMessage("TLS private key file " + notAKey + " contains no PEM data (expected a '-----BEGIN ...-----' line)");
    }

    @Test
    void unsupportedLegacyCipherIsNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("bf.pem"), "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                + "DEK-Info: BF-CBC,0011223344556677\n\nAQID\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> PrivateKeys.read(file, PASSPHRASE))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining("BF-CBC");
    }

    @Test
    void sec1WithoutCurveIsRejectedWithAHint() throws Exception {
        // SEQUENCE { INTEGER 1, OCTET STRING (32 bytes) } — no [0] parameters.
        byte[] sec1 = Der.sequence(new byte[] {0x02, 0x01, 0x01}, Der.octetString(new byte[32]));
        Pem.Block block = new Pem.Block("EC PRIVATE KEY", Map.of(), sec1);
        assertThatThrownBy(() -> PrivateKeys.decode(block, null, Path.of("/etc/x.pem")))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining("/etc/x.pem").hasMessageContaining("does not name its curve");
    }
}
