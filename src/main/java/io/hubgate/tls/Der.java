package io.hubgate.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The few pieces of ASN.1 DER that key conversion needs: reading one element (tag, length, value) and
 * writing definite-length elements. Deliberately tiny so that Hubgate can read PKCS#1 and SEC1 keys
 * without Bouncy Castle on the runtime class path.
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** {@code [0]} constructed, context-specific (EXPLICIT tagging). */
    static final int CONTEXT_0 = 0xA0;

    private Der() {
    }

    /** One decoded element: its tag, and where its value and whole encoding sit in the source array. */
    record Element(int tag, byte[] source, int start, int valueOffset, int valueLength) {

        byte[] value() {
            return Arrays.copyOfRange(source, valueOffset, valueOffset + valueLength);
        }

        /** Tag, length and value exactly as they appear in the source. */
        byte[] encoded() {
            return Arrays.copyOfRange(source, start, end());
        }

        int end() {
            return valueOffset + valueLength;
        }

        /** A reader over this element's contents (for SEQUENCE and explicitly tagged elements). */
        Reader contents() {
            return new Reader(source, valueOffset, end());
        }
    }

    /** Reads consecutive elements from a byte range; every malformed input ends in {@link DerException}. */
    static final class Reader {
        private final byte[] source;
        private final int limit;
        private int position;

        Reader(byte[] source) {
            this(source, 0, source.length);
        }

        Reader(byte[] source, int from, int limit) {
            this.source = source;
            this.position = from;
            this.limit = limit;
        }

        boolean hasMore() {
            return position < limit;
        }

        /** Tag of the next element without consuming it, or -1 at the end. */
        int peekTag() {
            return hasMore() ? source[position] & 0xFF : -1;
        }

        Element next() {
            int start = position;
            if (limit - position < 2) {
                throw new DerException("truncated DER element");
            }
            int tag = source[position++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                throw new DerException("multi-byte DER tags are not supported");
            }
            int first = source[position++] & 0xFF;
            long length;
            if (first < 0x80) {
                length = first;
            } else if (first == 0x80) {
                throw new DerException("indefinite length is not DER");
            } else {
                int count = first & 0x7F;
                if (count > 4 || limit - position < count) {
                    throw new DerException("bad DER length");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (source[position++] & 0xFF);
                }
            }
            if (length > limit - position) {
                throw new DerException("DER element longer than its container");
            }
            Element element = new Element(tag, source, start, position, (int) length);
            position += (int) length;
            return element;
        }

        Element next(int expectedTag) {
            Element element = next();
            if (element.tag() != expectedTag) {
                throw new DerException(String.format("expected DER tag 0x%02X, found 0x%02X", expectedTag, element.tag()));
            }
            return element;
        }
    }

    /** Thrown for input that is not the DER structure we expected. */
    static final class DerException extends RuntimeException {
        DerException(String message) {
            super(message);
        }
    }

    /** Encodes one element with a definite, minimal length. */
    static byte[] encode(int tag, byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        writeLength(out, length);
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] sequence(byte[]... elements) {
        return encode(SEQUENCE, elements);
    }

    /** A small non-negative INTEGER (enough for version fields). */
    static byte[] smallInteger(int value) {
        if (value < 0 || value > 127) {
            throw new IllegalArgumentException("only 0..127 supported: " + value);
        }
        return new byte[] {INTEGER, 1, (byte) value};
    }

    static byte[] octetString(byte[] content) {
        return encode(OCTET_STRING, content);
    }

    static byte[] nullValue() {
        return new byte[] {NULL, 0};
    }

    static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
            return;
        }
        int bytes = length > 0xFFFFFF ? 4 : length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
        out.write(0x80 | bytes);
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
            out.write((length >>> shift) & 0xFF);
        }
    }

    /** Dotted form of an OBJECT IDENTIFIER's value bytes, e.g. {@code 1.2.840.113549.1.1.1}. */
    static String oidToString(byte[] value) {
        if (value.length == 0) {
            throw new DerException("empty OBJECT IDENTIFIER");
        }
        StringBuilder text = new StringBuilder();
        long arc = 0;
        boolean first = true;
        for (int i = 0; i < value.length; i++) {
            int b = value[i] & 0xFF;
            if (arc > (Long.MAX_VALUE >>> 7)) {
                throw new DerException("OBJECT IDENTIFIER arc too large");
            }
            arc = (arc << 7) | (b & 0x7F);
            if ((b & 0x80) != 0) {
                if (i == value.length - 1) {
                    throw new DerException("truncated OBJECT IDENTIFIER");
                }
                continue;
            }
            if (first) {
                // The first encoded arc packs the first two: 40 * x + y.
                long top = Math.min(arc / 40, 2);
                text.append(top).append('.').append(arc - top * 40);
                first = false;
            } else {
                text.append('.').append(arc);
            }
            arc = 0;
        }
        return text.toString();
    }
}
