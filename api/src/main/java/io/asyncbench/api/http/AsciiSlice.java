package io.asyncbench.api.http;

import java.nio.charset.StandardCharsets;

/**
 * A reusable window onto bytes, read as ISO-8859-1 characters: how the parser hands a piece of its
 * buffer to {@link HttpSyntax} without copying it into a String. Only valid until the next
 * {@link #of}; one per parser.
 */
final class AsciiSlice implements CharSequence {

    private final byte[] bytes;
    private int from;
    private int length;

    AsciiSlice(byte[] bytes) {
        this.bytes = bytes;
    }

    AsciiSlice of(int start, int end) {
        this.from = start;
        this.length = end - start;
        return this;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        return (char) (bytes[from + index] & 0xff);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new String(bytes, from + start, end - start, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
    }
}
