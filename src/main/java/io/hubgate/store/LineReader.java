package io.hubgate.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a file as newline-terminated lines, streaming, keeping track of byte offsets so recovery can
 * say where a bad line is and cut a torn tail at an exact position.
 */
final class LineReader {

    private final InputStream in;
    private final byte[] chunk = new byte[64 * 1024];
    private int chunkPos;
    private int chunkEnd;
    private long offset;

    /** The current line: {@code bytes[0..length)}, without its newline. Reused between calls. */
    byte[] bytes = new byte[1024];
    int length;
    /** File offset of the current line's first byte. */
    long lineOffset;
    /** Whether the current line ended with a newline (false only for the last, unterminated line). */
    boolean terminated;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** Reads the next line; false at the end of the file. */
    boolean next() throws IOException {
        length = 0;
        lineOffset = offset;
        while (true) {
            if (chunkPos == chunkEnd) {
                int n = in.read(chunk);
                if (n <= 0) {
                    terminated = false;
                    return length > 0;
                }
                chunkPos = 0;
                chunkEnd = n;
            }
            int start = chunkPos;
            while (chunkPos < chunkEnd && chunk[chunkPos] != '\n') {
                chunkPos++;
            }
            append(start, chunkPos - start);
            if (chunkPos < chunkEnd) {
                chunkPos++; // the newline
                offset = lineOffset + length + 1;
                terminated = true;
                return true;
            }
            offset = lineOffset + length;
        }
    }

    /** Offset just after the current line (and its newline, if it has one). */
    long endOffset() {
        return lineOffset + length + (terminated ? 1 : 0);
    }

    /** Whether the current line holds only NUL bytes (file space allocated but never written). */
    boolean allZero() {
        for (int i = 0; i < length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private void append(int start, int n) {
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
        }
        System.arraycopy(chunk, start, bytes, length, n);
        length += n;
    }
}
