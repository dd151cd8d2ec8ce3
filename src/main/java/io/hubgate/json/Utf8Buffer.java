package io.hubgate.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array that JSON text is written into as UTF-8: the body of {@code GET /api/routes}, which
 * for 100,000 routes is 15 MB of stored fragments put side by side.
 *
 * <p>Why not a {@link StringBuilder}: the listing would then exist three times over (the builder, its
 * {@code toString()}, the encoded bytes), and with 10,000 routes those 1.5 MB arrays outlive a young
 * collection and are promoted. Why not Netty's {@code writeCharSequence}: it encodes char by char, and the
 * listing's first run after a burst of route changes runs before the JIT has compiled it. Here a fragment
 * that the caller knows to be ASCII, which route data almost always is, is one array copy even in the
 * interpreter.
 */
public final class Utf8Buffer {

    private byte[] bytes;
    private int length;

    public Utf8Buffer(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    /**
     * Appends {@code s}, which the caller has checked to be ASCII (every char below 0x80, see
     * {@link #isAscii}): its chars are its UTF-8 bytes.
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int) keeps the low byte of each char:
    // exactly UTF-8 for ASCII, and a plain array copy for the compact strings that ASCII text is stored in
    public Utf8Buffer appendAscii(String s) {
        int n = s.length();
        ensure(n);
        s.getBytes(0, n, bytes, length);
        length += n;
        return this;
    }

    /** Appends {@code s[from, to)}, which the caller has checked to be ASCII. */
    @SuppressWarnings("deprecation") // as in appendAscii(String)
    public Utf8Buffer appendAscii(String s, int from, int to) {
        int n = to - from;
        ensure(n);
        s.getBytes(from, to, bytes, length);
        length += n;
        return this;
    }

    /** Appends any text as UTF-8 (an unpaired surrogate becomes {@code ?}, as in {@link String#getBytes}). */
    public Utf8Buffer append(String s) {
        return append(s.getBytes(StandardCharsets.UTF_8));
    }

    public Utf8Buffer append(byte[] utf8) {
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, length, utf8.length);
        length += utf8.length;
        return this;
    }

    /** Appends one ASCII character. */
    public Utf8Buffer append(char ascii) {
        ensure(1);
        bytes[length++] = (byte) ascii;
        return this;
    }

    /** Appends {@code value} (0 or more) as exactly {@code width} decimal digits, 1 to 4, zero-padded. */
    public Utf8Buffer appendDigits(int value, int width) {
        ensure(width);
        for (int i = length + width - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += width;
        return this;
    }

    /**
     * Appends {@code s} as a JSON string literal: {@code "}, backslash and control characters escaped (the
     * short forms where JSON has them, else a six-character escape), everything else as UTF-8. The same text as the
     * API has always written for route paths.
     */
    public Utf8Buffer appendQuoted(String s) {
        append('"');
        int plainFrom = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            appendPlain(s, plainFrom, i);
            switch (c) {
                case '"' -> appendAscii("\\\"");
                case '\\' -> appendAscii("\\\\");
                case '\n' -> appendAscii("\\n");
                case '\r' -> appendAscii("\\r");
                case '\t' -> appendAscii("\\t");
                case '\b' -> appendAscii("\\b");
                case '\f' -> appendAscii("\\f");
                default -> appendAscii("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
            plainFrom = i + 1;
        }
        appendPlain(s, plainFrom, s.length());
        return append('"');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private void appendPlain(String s, int from, int to) {
        if (from == to) {
            return;
        }
        if (isAscii(s, from, to)) {
            appendAscii(s, from, to);
        } else {
            append(s.substring(from, to));
        }
    }

    /** True if every char of {@code s} is below 0x80, i.e. {@link #appendAscii} may take it. */
    public static boolean isAscii(String s) {
        return isAscii(s, 0, s.length());
    }

    private static boolean isAscii(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Empties the buffer, keeping its array. */
    public void clear() {
        length = 0;
    }

    public int length() {
        return length;
    }

    /** The backing array; bytes {@code [0, length())} are the text. */
    public byte[] array() {
        return bytes;
    }

    /** The text, decoded (for tests and logs). */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private void ensure(int more) {
        int needed = length + more;
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
        }
    }
}
