package io.hubgate.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {

    @TempDir
    Path dir;

    @Test
    void readsBlocksWithHeadersAndIgnoresTextAround() throws Exception {
        String text = "Bag Attributes\r\n    friendlyName: x\r\n"
                + "-----BEGIN RSA PRIVATE KEY-----\r\n"
                + "Proc-Type: 4,ENCRYPTED\r\n"
                + "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\r\n"
                + "\r\n"
                + "AQID\r\n"
                + "BAU=\r\n"
                + "-----END RSA PRIVATE KEY-----\r\n"
                + "trailing comment\n"
                + "  -----BEGIN CERTIFICATE-----\n"
                + "BgcI\n"
                + "-----END CERTIFICATE-----";
        Path file = dir.resolve("mixed.pem");
        Files.writeString(file, text);
        List<Pem.Block> blocks = Pem.readBlocks(file, "test file");
        assertThat(blocks).hasSize(2);
        assertThat(blocks.get(0).label()).isEqualTo("RSA PRIVATE KEY");
        assertThat(blocks.get(0).headers())
                .containsEntry("Proc-Type", "4,ENCRYPTED")
                .containsEntry("DEK-Info", "AES-128-CBC,00112233445566778899AABBCCDDEEFF");
        assertThat(blocks.get(0).der()).containsExactly(1, 2, 3, 4, 5);
        assertThat(blocks.get(1).label()).isEqualTo("CERTIFICATE");
        assertThat(blocks.get(1).headers()).isEmpty();
        assertThat(blocks.get(1).der()).containsExactly(6, 7, 8);
    }

    @Test
    void readsACertificateBundleInOrder() throws Exception {
        X509Bundle ca = new CertificateBuilder().subject("CN=Root").ecp256().setIsCertificateAuthority(true).buildSelfSigned();
        X509Bundle leaf = new CertificateBuilder().subject("CN=leaf").ecp256().buildIssuedBy(ca);
        Path file = dir.resolve("chain.pem");
        Files.writeString(file, "# leaf first\n" + leaf.getCertificatePEM() + "\n# then the root\n" + ca.getCertificatePEM());
        assertThat(Pem.readCertificates(file, "chain"))
                .extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=leaf", "CN=Root");
    }

    @Test
    void everyFailureNamesTheFile() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> Pem.readCertificates(missing, "TLS certificate file"))
                .isInstanceOf(TlsConfigException.class)
                .hasMessage("TLS certificate file " + missing + " does not exist");

        assertThatThrownBy(() -> Pem.readCertificates(dir, "TLS certificate file"))
                .hasMessage("TLS certificate file " + dir + " is a directory, not a file");

        Path empty = Files.createFile(dir.resolve("empty.pem"));
        assertThatThrownBy(() -> Pem.readCertificates(empty, "TLS certificate file"))
                .hasMessageContaining(empty.toString()).hasMessageContaining("contains no PEM data");

        Path keyOnly = Files.writeString(dir.resolve("key-only.pem"), "-----BEGIN PRIVATE KEY-----\nAQID\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Pem.readCertificates(keyOnly, "TLS certificate file"))
                .hasMessageContaining(keyOnly.toString()).hasMessageContaining("contains no certificate");

        Path garbageCert = Files.writeString(dir.resolve("garbage-cert.pem"), "-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> Pem.readCertificates(garbageCert, "TLS certificate file"))
                .hasMessageContaining(garbageCert.toString()).hasMessageContaining("certificate #1 cannot be parsed");

        Path badBase64 = Files.writeString(dir.resolve("bad-base64.pem"), "-----BEGIN CERTIFICATE-----\nA*ID\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> Pem.readCertificates(badBase64, "TLS certificate file"))
                .hasMessageContaining(badBase64.toString()).hasMessageContaining("bad base64");

        Path truncated = Files.writeString(dir.resolve("truncated.pem"), "-----BEGIN CERTIFICATE-----\nAQID\n");
        assertThatThrownBy(() -> Pem.readCertificates(truncated, "TLS certificate file"))
                .hasMessageContaining(truncated.toString()).hasMessageContaining("never closed");

        Path mismatched = Files.writeString(dir.resolve("mismatched.pem"), "-----BEGIN CERTIFICATE-----\nAQID\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Pem.readCertificates(mismatched, "TLS certificate file"))
                .hasMessageContaining(mismatched.toString()).hasMessageContaining("does not close");

        Path emptyBlock = Files.writeString(dir.resolve("empty-block.pem"), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> Pem.readCertificates(emptyBlock, "TLS certificate file"))
                .hasMessageContaining(emptyBlock.toString()).hasMessageContaining("block is empty");
    }

    @Test
    void anUnreadableFileIsReportedAsSuch() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.pem"), "-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(secret), "permissions do not apply (running as root)");
        assertThatThrownBy(() -> Pem.readCertificates(secret, "TLS CA file"))
                .hasMessage("TLS CA file " + secret + " is not readable (permission denied)");
    }
}
