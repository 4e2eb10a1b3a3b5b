package io.s3dlio.loader;

import static java.util.Objects.requireNonNull;

/**
 * The part of an object that is one dataset item (a record of a TFRecord file, a member of an NPZ file), read
 * with one range request; {@code framing} says what to check and strip before the bytes are delivered.
 *
 * @param offset where the item's bytes start in the object
 * @param length how many bytes are read (framing included)
 */
public record ItemRange(long offset, long length, RecordFraming framing) {
    public ItemRange {
        requireNonNull(framing, "framing is null");
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative item range: offset " + offset + ", length " + length);
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an item range must fit one buffer: " + length + " bytes");
        }
    }
}
