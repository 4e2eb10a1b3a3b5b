package io.s3dlio.api;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The immutable bytes of an object (or of a range of one): a read-only view of the buffer the data landed
 * in. Nothing is copied after the data arrives; {@link #buffer()} hands out independent read-only views.
 * The only copying method is {@link #toArray()}, and its name says so.
 */
public final class ObjectBytes {
    private static final ObjectBytes EMPTY = new ObjectBytes(ByteBuffer.allocate(0));

    private final ByteBuffer data;

    private ObjectBytes(ByteBuffer data) {
        this.data = data;
    }

    /**
     * Wraps the remaining bytes of {@code buffer} without copying. The caller hands the buffer over: it must
     * not change its contents afterwards.
     */
    public static ObjectBytes wrap(ByteBuffer buffer) {
        requireNonNull(buffer, "buffer is null");
        return new ObjectBytes(buffer.slice().asReadOnlyBuffer());
    }

    /** Wraps an array without copying; the caller must not change it afterwards. */
    public static ObjectBytes wrap(byte[] bytes) {
        return wrap(ByteBuffer.wrap(bytes));
    }

    public static ObjectBytes empty() {
        return EMPTY;
    }

    /** Number of bytes. */
    public int size() {
        return data.remaining();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** A fresh read-only view: position 0, limit {@link #size()}. Cheap; no bytes are copied. */
    public ByteBuffer buffer() {
        return data.duplicate();
    }

    /** The byte at {@code index}. */
    public byte byteAt(int index) {
        return data.get(data.position() + index);
    }

    /** A view of {@code [offset, offset + length)}; no bytes are copied. */
    public ObjectBytes slice(int offset, int length) {
        if (offset < 0 || length < 0 || offset > size() - length) {
            throw new IndexOutOfBoundsException("slice [" + offset + ", " + offset + "+" + length + ") of " + size() + " bytes");
        }
        return new ObjectBytes(data.slice(data.position() + offset, length));
    }

    /** Copies the bytes into a new array. */
    public byte[] toArray() {
        byte[] out = new byte[size()];
        data.duplicate().get(out);
        return out;
    }

    /** Decodes the bytes as UTF-8 (a copy). */
    public String toUtf8String() {
        return StandardCharsets.UTF_8.decode(data.duplicate()).toString();
    }

    /** Content equality. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ObjectBytes that && data.equals(that.data);
    }

    @Override
    public int hashCode() {
        return data.hashCode();
    }

    @Override
    public String toString() {
        return "ObjectBytes[" + size() + " bytes]";
    }
}
