package io.hubgate.store;

import io.hubgate.json.Json;
import io.hubgate.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import tools.jackson.core.JacksonException;

/**
 * One line of a journal or snapshot file: a JSON object whose last member is a CRC32C of everything before
 * it, so every line stays valid JSON (readable with {@code jq}) and carries its own checksum:
 *
 * <pre>
 * {"v":7,"op":"put","path":"/user/a","data":"{\"target\":\"http://10.0.0.7:8888\"}","at":1732265000000,"crc":"1f0e6b2a"}
 * </pre>
 *
 * The checksum covers the UTF-8 bytes from the opening brace up to (not including) {@code ,"crc":}.
 */
final class JournalLine {

    private static final byte[] CRC_MEMBER = ",\"crc\":\"".getBytes(StandardCharsets.US_ASCII);
    /** {@code ,"crc":"} + 8 hex digits + {@code "}}. */
    static final int SUFFIX_LENGTH = CRC_MEMBER.length + 8 + 2;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JournalLine() {
    }

    /** A line that failed its checks; {@code reason} says how. */
    static final class BadLineException extends Exception {
        private static final long serialVersionUID = 1L;

        BadLineException(String reason) {
            super(reason);
        }
    }

    /**
     * Finishes a line: {@code body} is an unterminated JSON object ({@code {"v":1,...} without the closing
     * brace); returns its bytes with the checksum member, the closing brace and a newline.
     */
    static byte[] seal(CharSequence body) {
        byte[] head = body.toString().getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(head, 0, head.length);
        long value = crc.getValue();
        byte[] line = new byte[head.length + SUFFIX_LENGTH + 1];
        System.arraycopy(head, 0, line, 0, head.length);
        int p = head.length;
        System.arraycopy(CRC_MEMBER, 0, line, p, CRC_MEMBER.length);
        p += CRC_MEMBER.length;
        for (int shift = 28; shift >= 0; shift -= 4) {
            line[p++] = (byte) HEX[(int) (value >>> shift) & 0xf];
        }
        line[p++] = '"';
        line[p++] = '}';
        line[p] = '\n';
        return line;
    }

    /**
     * Checks and parses one line ({@code len} bytes without its newline).
     *
     * @throws BadLineException if the checksum member is missing, does not match, or the line is not a JSON object
     */
    static JsonValue open(byte[] buf, int off, int len) throws BadLineException {
        if (len < SUFFIX_LENGTH + 1) {
            throw new BadLineException("too short to be a record (" + len + " bytes)");
        }
        int bodyLength = len - SUFFIX_LENGTH;
        for (int i = 0; i < CRC_MEMBER.length; i++) {
            if (buf[off + bodyLength + i] != CRC_MEMBER[i]) {
                throw new BadLineException("no checksum at the end of the line");
            }
        }
        long stated = 0;
        int hexStart = off + bodyLength + CRC_MEMBER.length;
        for (int i = 0; i < 8; i++) {
            byte c = buf[hexStart + i];
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (digit < 0) {
                throw new BadLineException("checksum is not lower-case hexadecimal"); // one spelling per value
            }
            stated = (stated << 4) | digit;
        }
        if (buf[hexStart + 8] != '"' || buf[hexStart + 9] != '}') {
            throw new BadLineException("line does not end with the checksum");
        }
        CRC32C crc = new CRC32C();
        crc.update(buf, off, bodyLength);
        if (crc.getValue() != stated) {
            throw new BadLineException(String.format("checksum mismatch (stored %08x, computed %08x)", stated,
                    crc.getValue()));
        }
        try {
            JsonValue node = Json.parse(buf, off, len);
            if (node == null || !node.isObject()) {
                throw new BadLineException("not a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            // a correct checksum over bad JSON: written by something else, not torn
            throw new BadLineException("not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * Appends {@code s} as a JSON string. Unpaired surrogates are written as {@code \\uXXXX} escapes so that
     * any Java string, even one that is not valid UTF-16, reads back exactly.
     */
    static void appendString(StringBuilder out, String s) {
        out.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        appendUnicodeEscape(out, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        appendUnicodeEscape(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void appendUnicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
    }
}
