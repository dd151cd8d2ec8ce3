package io.hubgate.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads PEM files (RFC 7468, plus the RFC 1421 headers of OpenSSL's legacy encrypted keys) and the
 * certificates in them. Text outside {@code -----BEGIN/END-----} lines is ignored, as OpenSSL does, so
 * bundles with comments or "Bag Attributes" lines work. Every failure names the file.
 */
final class Pem {

    /** One {@code -----BEGIN <label>-----} block: its label, RFC 1421 headers (may be empty) and decoded bytes. */
    record Block(String label, Map<String, String> headers, byte[] der) {
    }

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    private Pem() {
    }

    /**
     * All PEM blocks of a file.
     *
     * @param what how the operator knows this file, e.g. "TLS certificate file"; used in messages
     */
    static List<Block> readBlocks(Path file, String what) {
        byte[] bytes = readFile(file, what);
        List<Block> blocks = parse(new String(bytes, StandardCharsets.ISO_8859_1), file, what);
        if (blocks.isEmpty()) {
            throw new TlsConfigException(what + " " + file + " contains no PEM data (expected a '-----BEGIN ...-----' line)");
        }
        return blocks;
    }

    static byte[] readFile(Path file, String what) {
        try {
            if (Files.isDirectory(file)) {
                throw new TlsConfigException(what + " " + file + " is a directory, not a file");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsConfigException(what + " " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new TlsConfigException(what + " " + file + " is not readable (permission denied)", e);
        } catch (IOException e) {
            throw new TlsConfigException(what + " " + file + " cannot be read: " + e, e);
        }
    }

    static List<Block> parse(String text, Path file, String what) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = text.split("\r\n|\n|\r", -1);
        int i = 0;
        while (i < lines.length) {
            String line = lines[i++].trim();
            if (!line.startsWith(BEGIN) || !line.endsWith(DASHES) || line.length() < BEGIN.length() + DASHES.length()) {
                continue;
            }
            String label = line.substring(BEGIN.length(), line.length() - DASHES.length());
            String endLine = END + label + DASHES;
            Map<String, String> headers = new LinkedHashMap<>();
            StringBuilder base64 = new StringBuilder();
            boolean inHeaders = true;
            boolean closed = false;
            while (i < lines.length) {
                String body = lines[i++].trim();
                if (body.startsWith(END)) {
                    if (!body.equals(endLine)) {
                        throw new TlsConfigException(what + " " + file + " is not valid PEM: '" + body
                                + "' does not close '-----BEGIN " + label + "-----'");
                    }
                    closed = true;
                    break;
                }
                int colon = body.indexOf(':');
                if (inHeaders && colon > 0) {
                    // RFC 1421 header such as "Proc-Type: 4,ENCRYPTED"; ':' never occurs in base64.
                    headers.put(body.substring(0, colon).trim(), body.substring(colon + 1).trim());
                    continue;
                }
                if (body.isEmpty()) {
                    inHeaders = false;
                    continue;
                }
                inHeaders = false;
                base64.append(body);
            }
            if (!closed) {
                throw new TlsConfigException(what + " " + file + " is not valid PEM: '-----BEGIN " + label
                        + "-----' is never closed (truncated file?)");
            }
            byte[] der;
            try {
                der = Base64.getDecoder().decode(base64.toString());
            } catch (IllegalArgumentException e) {
                throw new TlsConfigException(what + " " + file + " is not valid PEM: bad base64 in the " + label
                        + " block (" + e.getMessage() + ")", e);
            }
            if (der.length == 0) {
                throw new TlsConfigException(what + " " + file + " is not valid PEM: the " + label + " block is empty");
            }
            blocks.add(new Block(label, Map.copyOf(headers), der));
        }
        return blocks;
    }

    /** The X.509 certificates of a PEM file, in file order; at least one, else an error. */
    static List<X509Certificate> readCertificates(Path file, String what) {
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
        for (Block block : readBlocks(file, what)) {
            if (!block.label().equals("CERTIFICATE") && !block.label().equals("X509 CERTIFICATE")) {
                continue;
            }
            try {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            } catch (CertificateException | RuntimeException e) {
                throw new TlsConfigException(what + " " + file + ": certificate #" + (certificates.size() + 1)
                        + " cannot be parsed: " + e.getMessage(), e);
            }
        }
        if (certificates.isEmpty()) {
            throw new TlsConfigException(what + " " + file + " contains no certificate (no '-----BEGIN CERTIFICATE-----' block)");
        }
        return certificates;
    }
}
