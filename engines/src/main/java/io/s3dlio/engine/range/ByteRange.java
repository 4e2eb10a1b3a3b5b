package io.s3dlio.engine.range;

/**
 * A byte range of an object: {@code [offset, offset + length)}.
 *
 * @param offset first byte, at least 0
 * @param length number of bytes, at least 0 and at most what one buffer holds
 */
public record ByteRange(long offset, int length) {
    public ByteRange {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        if (offset > Long.MAX_VALUE - length) {
            throw new IllegalArgumentException("range [" + offset + ", +" + length + ") overflows");
        }
    }

    /** One past the last byte. */
    public long end() {
        return offset + length;
    }

    @Override
    public String toString() {
        return "bytes [" + offset + ", " + end() + ")";
    }
}
