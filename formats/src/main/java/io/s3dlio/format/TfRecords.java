package io.s3dlio.format;

import io.s3dlio.api.ObjectBytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The TFRecord framing: {@code uint64 length, uint32 masked_crc32c(length), byte data[length],
 * uint32 masked_crc32c(data)}, little-endian, where masking is TensorFlow's
 * {@code ((crc >>> 15) | (crc << 17)) + 0xa282ead8}.
 */
public final class TfRecords {
    /** Bytes of framing around each record's data: 8 (length) + 4 (its CRC) before, 4 (data CRC) after. */
    public static final int OVERHEAD = 16;
    /** Bytes before the data. */
    public static final int HEADER = 12;
    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecords() {
    }

    /** TensorFlow's masked CRC-32C of the remaining bytes of {@code data} (the buffer is not moved). */
    public static int maskedCrc32c(ByteBuffer data) {
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        return mask((int) crc.getValue());
    }

    static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    /** The 12-byte header of a record of {@code length} data bytes. */
    static ByteBuffer header(long length) {
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(length);
        header.putInt(maskedCrc32c(header.duplicate().flip()));
        return header.flip();
    }

    /**
     * Checks one framed record ({@code framed} holds exactly header, data and trailer) and returns its data, a
     * view of {@code framed} (no copy).
     *
     * @throws TfRecordFormatException naming {@code source} and {@code offset} when a CRC or the length is wrong
     */
    public static ObjectBytes decode(ObjectBytes framed, String source, long offset) throws TfRecordFormatException {
        if (framed.size() < OVERHEAD) {
            throw new TfRecordFormatException(source, offset, "record of " + framed.size() + " bytes is shorter than its framing");
        }
        long length = checkedLength(framed.slice(0, HEADER), source, offset);
        if (length != framed.size() - OVERHEAD) {
            throw new TfRecordFormatException(source, offset, "length field says " + length + " bytes, the record holds "
                    + (framed.size() - OVERHEAD));
        }
        ObjectBytes data = framed.slice(HEADER, (int) length);
        int stored = framed.buffer().order(ByteOrder.LITTLE_ENDIAN).getInt(HEADER + (int) length);
        if (stored != maskedCrc32c(data.buffer())) {
            throw new TfRecordFormatException(source, offset, "data CRC-32C mismatch (" + length + " data bytes)");
        }
        return data;
    }

    /** The length field of a 12-byte header, after checking its CRC. */
    static long checkedLength(ObjectBytes header, String source, long offset) throws TfRecordFormatException {
        ByteBuffer buffer = header.buffer().order(ByteOrder.LITTLE_ENDIAN);
        long length = buffer.getLong(0);
        int stored = buffer.getInt(8);
        if (stored != maskedCrc32c(header.buffer().limit(8))) {
            throw new TfRecordFormatException(source, offset, "length CRC-32C mismatch");
        }
        if (length < 0 || length > Integer.MAX_VALUE - OVERHEAD) {
            throw new TfRecordFormatException(source, offset, "record length " + Long.toUnsignedString(length)
                    + " is beyond what one buffer holds");
        }
        return length;
    }
}
