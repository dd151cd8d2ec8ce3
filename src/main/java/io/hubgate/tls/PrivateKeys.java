package io.hubgate.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a PEM private key into a JDK {@link PrivateKey}. Accepted forms, as OpenSSL (and therefore CHP)
 * writes them:
 * <ul>
 *   <li>{@code PRIVATE KEY} — PKCS#8 (RSA, EC, Ed25519/Ed448, DSA, RSASSA-PSS);</li>
 *   <li>{@code ENCRYPTED PRIVATE KEY} — encrypted PKCS#8 (PBES2 with PBKDF2, or the PKCS#5/PKCS#12 PBES1
 *       schemes the JDK implements);</li>
 *   <li>{@code RSA PRIVATE KEY} — PKCS#1, and {@code EC PRIVATE KEY} — SEC1, both optionally with OpenSSL's
 *       legacy {@code Proc-Type: 4,ENCRYPTED} / {@code DEK-Info} encryption (AES-128/192/256-CBC,
 *       DES-EDE3-CBC, DES-CBC).</li>
 * </ul>
 * PKCS#1 and SEC1 keys are wrapped into PKCS#8 with a few lines of DER, which the JDK then reads itself.
 */
final class PrivateKeys {

    private static final String WHAT = "TLS private key file";

    // AlgorithmIdentifier OIDs, encoded (tag, length, value).
    private static final byte[] OID_RSA_ENCRYPTION = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
    private static final byte[] OID_EC_PUBLIC_KEY = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};

    private static final Map<String, String> KEY_ALGORITHMS = Map.of(
            "1.2.840.113549.1.1.1", "RSA",
            "1.2.840.113549.1.1.10", "RSASSA-PSS",
            "1.2.840.10045.2.1", "EC",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448",
            "1.2.840.10040.4.1", "DSA");

    /** Legacy OpenSSL PEM encryption: DEK-Info cipher name → JCA transformation, key length, IV length. */
    private record LegacyCipher(String transformation, String keyAlgorithm, int keyLength, int ivLength) {
    }

    private static final Map<String, LegacyCipher> LEGACY_CIPHERS = Map.of(
            "AES-128-CBC", new LegacyCipher("AES/CBC/PKCS5Padding", "AES", 16, 16),
            "AES-192-CBC", new LegacyCipher("AES/CBC/PKCS5Padding", "AES", 24, 16),
            "AES-256-CBC", new LegacyCipher("AES/CBC/PKCS5Padding", "AES", 32, 16),
            "DES-EDE3-CBC", new LegacyCipher("DESede/CBC/PKCS5Padding", "DESede", 24, 8),
            "DES-CBC", new LegacyCipher("DES/CBC/PKCS5Padding", "DES", 8, 8));

    private static final List<String> KEY_LABELS =
            List.of("PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY");

    private PrivateKeys() {
    }

    /**
     * Reads the first private key of a PEM file.
     *
     * @param passphrase used only if the key is encrypted; may be null
     */
    static PrivateKey read(Path file, String passphrase) {
        Pem.Block block = null;
        for (Pem.Block candidate : Pem.readBlocks(file, WHAT)) {
            if (KEY_LABELS.contains(candidate.label())) {
                block = candidate;
                break;
            }
            if (candidate.label().endsWith("PRIVATE KEY")) {
                throw new TlsConfigException(WHAT + " " + file + ": '" + candidate.label()
                        + "' keys are not supported; convert it with 'openssl pkcs8 -topk8' to a PKCS#8 'PRIVATE KEY'");
            }
        }
        if (block == null) {
            throw new TlsConfigException(WHAT + " " + file + " contains no private key (expected '-----BEGIN PRIVATE KEY-----',"
                    + " 'ENCRYPTED PRIVATE KEY', 'RSA PRIVATE KEY' or 'EC PRIVATE KEY')");
        }
        return decode(block, passphrase, file);
    }

    static PrivateKey decode(Pem.Block block, String passphrase, Path file) {
        String where = WHAT + " " + file;
        switch (block.label()) {
            case "PRIVATE KEY":
                return fromPkcs8(block.der(), where);
            case "ENCRYPTED PRIVATE KEY":
                return fromPkcs8(decryptPkcs8(block.der(), requirePassphrase(passphrase, where), where), where);
            case "RSA PRIVATE KEY":
                return fromPkcs8(rsaPkcs1ToPkcs8(legacyDecryptIfNeeded(block, passphrase, where), where), where);
            case "EC PRIVATE KEY":
                return fromPkcs8(ecSec1ToPkcs8(legacyDecryptIfNeeded(block, passphrase, where), where), where);
            default:
                throw new TlsConfigException(where + ": unsupported PEM block '" + block.label() + "'");
        }
    }

    private static String requirePassphrase(String passphrase, String where) {
        if (passphrase == null) {
            throw new TlsConfigException(where + ": the key is encrypted but no passphrase was given");
        }
        return passphrase;
    }

    /** Builds a JDK key from PKCS#8 PrivateKeyInfo, picking the KeyFactory from the algorithm OID. */
    static PrivateKey fromPkcs8(byte[] pkcs8, String where) {
        String oid;
        try {
            Der.Reader info = new Der.Reader(pkcs8).next(Der.SEQUENCE).contents();
            info.next(Der.INTEGER);
            Der.Reader algorithm = info.next(Der.SEQUENCE).contents();
            oid = Der.oidToString(algorithm.next(Der.OID).value());
        } catch (Der.DerException e) {
            throw new TlsConfigException(where + ": not a valid PKCS#8 private key (" + e.getMessage() + ")", e);
        }
        String algorithm = KEY_ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw new TlsConfigException(where + ": unsupported private key algorithm (OID " + oid + ")");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new TlsConfigException(where + ": cannot load the " + algorithm + " private key: " + e.getMessage(), e);
        }
    }

    /** PKCS#1 RSAPrivateKey → PKCS#8 PrivateKeyInfo {0, {rsaEncryption, NULL}, OCTET STRING(pkcs1)}. */
    static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1, String where) {
        try {
            Der.Reader outer = new Der.Reader(pkcs1);
            Der.Element key = outer.next(Der.SEQUENCE);
            if (outer.hasMore()) {
                throw new Der.DerException("trailing bytes after the key");
            }
            Der.Reader fields = key.contents();
            fields.next(Der.INTEGER); // version
            fields.next(Der.INTEGER); // modulus: at least this much must be there
            return Der.sequence(
                    Der.smallInteger(0),
                    Der.sequence(OID_RSA_ENCRYPTION, Der.nullValue()),
                    Der.octetString(key.encoded()));
        } catch (Der.DerException e) {
            throw new TlsConfigException(where + ": not a valid PKCS#1 RSA private key (" + e.getMessage()
                    + "; wrong passphrase?)", e);
        }
    }

    /**
     * SEC1 ECPrivateKey {1, OCTET STRING d, [0] parameters, [1] publicKey} → PKCS#8 with the curve taken from
     * {@code [0]} into the AlgorithmIdentifier; the SEC1 structure itself becomes the PKCS#8 payload.
     */
    static byte[] ecSec1ToPkcs8(byte[] sec1, String where) {
        try {
            Der.Reader outer = new Der.Reader(sec1);
            Der.Element key = outer.next(Der.SEQUENCE);
            if (outer.hasMore()) {
                throw new Der.DerException("trailing bytes after the key");
            }
            Der.Reader fields = key.contents();
            byte[] version = fields.next(Der.INTEGER).value();
            if (version.length != 1 || version[0] != 1) {
                throw new Der.DerException("ECPrivateKey version is not 1");
            }
            fields.next(Der.OCTET_STRING);
            byte[] curve = null;
            while (fields.hasMore()) {
                Der.Element field = fields.next();
                if (field.tag() == Der.CONTEXT_0) {
                    Der.Reader explicit = field.contents();
                    curve = explicit.next().encoded();
                }
            }
            if (curve == null) {
                throw new TlsConfigException(where + ": the EC private key does not name its curve (no parameters"
                        + " field); re-export it with 'openssl ec' or as PKCS#8");
            }
            return Der.sequence(
                    Der.smallInteger(0),
                    Der.sequence(OID_EC_PUBLIC_KEY, curve),
                    Der.octetString(key.encoded()));
        } catch (Der.DerException e) {
            throw new TlsConfigException(where + ": not a valid SEC1 EC private key (" + e.getMessage()
                    + "; wrong passphrase?)", e);
        }
    }

    /** Decrypts an EncryptedPrivateKeyInfo with the password-based scheme it names. */
    static byte[] decryptPkcs8(byte[] encrypted, String passphrase, String where) {
        EncryptedPrivateKeyInfo info;
        try {
            info = new EncryptedPrivateKeyInfo(encrypted);
        } catch (Exception e) {
            throw new TlsConfigException(where + ": not a valid encrypted PKCS#8 key (" + e.getMessage() + ")", e);
        }
        String scheme = info.getAlgName();
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(passphrase)) {
            // The JDK's PBE key factories only take ASCII passwords.
            throw new TlsConfigException(where + ": the passphrase of an encrypted PKCS#8 key must be ASCII;"
                    + " re-encrypt the key with an ASCII passphrase");
        }
        try {
            AlgorithmParameters parameters = info.getAlgParameters();
            // For PBES2 the JDK reports "PBES2" (or its OID) as the name; the parameters know the
            // concrete PRF and cipher, e.g. "PBEWithHmacSHA256AndAES_256".
            if (parameters != null && (scheme.equalsIgnoreCase("PBES2") || scheme.equals("1.2.840.113549.1.5.13"))) {
                scheme = parameters.toString();
            }
            char[] password = passphrase.toCharArray();
            SecretKey pbeKey = SecretKeyFactory.getInstance(scheme).generateSecret(new PBEKeySpec(password));
            Arrays.fill(password, '\0');
            Cipher cipher = Cipher.getInstance(scheme);
            cipher.init(Cipher.DECRYPT_MODE, pbeKey, parameters);
            return info.getKeySpec(cipher).getEncoded();
        } catch (NoSuchAlgorithmException e) {
            throw new TlsConfigException(where + ": the key is encrypted with '" + scheme
                    + "', which the JDK does not support; re-encrypt it with 'openssl pkcs8 -topk8 -v2 aes-256-cbc'", e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new TlsConfigException(where + ": cannot decrypt the private key: wrong passphrase? (" + e.getMessage() + ")", e);
        }
    }

    /** Undoes OpenSSL's legacy PEM encryption (EVP_BytesToKey with MD5, one round) if the headers ask for it. */
    static byte[] legacyDecryptIfNeeded(Pem.Block block, String passphrase, String where) {
        String procType = block.headers().get("Proc-Type");
        if (procType == null) {
            return block.der();
        }
        if (!procType.replace(" ", "").equalsIgnoreCase("4,ENCRYPTED")) {
            throw new TlsConfigException(where + ": unsupported PEM header 'Proc-Type: " + procType + "'");
        }
        String dekInfo = block.headers().get("DEK-Info");
        int comma = dekInfo == null ? -1 : dekInfo.indexOf(',');
        if (comma < 0) {
            throw new TlsConfigException(where + ": encrypted PEM key without a valid 'DEK-Info' header");
        }
        String cipherName = dekInfo.substring(0, comma).trim().toUpperCase(Locale.ROOT);
        LegacyCipher legacy = LEGACY_CIPHERS.get(cipherName);
        if (legacy == null) {
            throw new TlsConfigException(where + ": the key is encrypted with " + cipherName + ", which Hubgate does not"
                    + " support; use AES-128/192/256-CBC or DES-EDE3-CBC, or convert it with 'openssl pkcs8 -topk8'");
        }
        byte[] iv;
        try {
            iv = HexFormat.of().parseHex(dekInfo.substring(comma + 1).trim());
        } catch (IllegalArgumentException e) {
            throw new TlsConfigException(where + ": bad IV in the 'DEK-Info' header", e);
        }
        if (iv.length != legacy.ivLength()) {
            throw new TlsConfigException(where + ": the 'DEK-Info' IV has " + iv.length + " bytes, " + cipherName
                    + " needs " + legacy.ivLength());
        }
        byte[] password = requirePassphrase(passphrase, where).getBytes(StandardCharsets.UTF_8);
        byte[] key = evpBytesToKey(password, Arrays.copyOf(iv, 8), legacy.keyLength());
        Arrays.fill(password, (byte) 0);
        try {
            Cipher cipher = Cipher.getInstance(legacy.transformation());
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, legacy.keyAlgorithm()), new IvParameterSpec(iv));
            return cipher.doFinal(block.der());
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException(where + ": cannot decrypt the private key: wrong passphrase? (" + e.getMessage() + ")", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** OpenSSL's EVP_BytesToKey with MD5 and one iteration: D_i = MD5(D_{i-1} || password || salt). */
    static byte[] evpBytesToKey(byte[] password, byte[] salt, int keyLength) {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
        byte[] key = new byte[keyLength];
        byte[] previous = new byte[0];
        int filled = 0;
        while (filled < keyLength) {
            md5.update(previous);
            md5.update(password);
            md5.update(salt);
            previous = md5.digest();
            int count = Math.min(previous.length, keyLength - filled);
            System.arraycopy(previous, 0, key, filled, count);
            filled += count;
        }
        return key;
    }
}
