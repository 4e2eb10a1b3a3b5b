package io.s3dlio.spi;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * CRC32C of whole objects built from pieces: the checksum of each part of an upload or each chunk of a ranged
 * read is computed where its bytes are (any thread, any order) and the pieces are combined in offset order
 * afterwards with zlib's {@code crc32_combine} (GF(2) matrix powers, Castagnoli polynomial): CRC32C(A || B)
 * from CRC32C(A), CRC32C(B) and the length of B. That is what lets a store's full-object CRC32C (S3
 * {@code x-amz-checksum-crc32c} of type FULL_OBJECT, GCS crc32c, the {@value #AZURE_METADATA} metadata this
 * project writes on Azure) check an object read as concurrent chunks, for a few microseconds per chunk on top
 * of the checksum itself.
 */
public final class Crc32c {
    /** The Azure metadata key under which writers record the blob's CRC32C (base64, as S3 writes it). */
    public static final String AZURE_METADATA = "s3dlio_crc32c";

    private Crc32c() {
    }

    /** The CRC32C of the remaining bytes of {@code data}; its position is not moved. */
    public static int of(ByteBuffer data) {
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        return (int) crc.getValue();
    }

    /** The value as S3 and GCS write it: base64 of the four big-endian bytes. */
    public static String base64(int crc) {
        return Base64.getEncoder().encodeToString(new byte[] {(byte) (crc >>> 24), (byte) (crc >>> 16),
                (byte) (crc >>> 8), (byte) crc});
    }

    /**
     * A stored full-object value, if {@code text} is one: base64 of four bytes. A composite multipart checksum
     * ({@code "...-3"}, a checksum of the parts' checksums) or anything else yields empty.
     */
    public static OptionalInt parseBase64(String text) {
        if (text == null || text.isBlank() || text.contains("-")) {
            return OptionalInt.empty();
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            return OptionalInt.empty();
        }
        if (raw.length != 4) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(((raw[0] & 0xff) << 24) | ((raw[1] & 0xff) << 16) | ((raw[2] & 0xff) << 8) | (raw[3] & 0xff));
    }

    /** CRC32C(A || B) from {@code crcA} = CRC32C(A), {@code crcB} = CRC32C(B) and {@code lengthB}. */
    public static int combine(int crcA, int crcB, long lengthB) {
        if (lengthB <= 0) {
            return crcA;
        }
        // The table of x^(2^k) powers: about 30x cheaper than squaring a 32x32 matrix per bit of the length.
        return (int) CrcCombine.CRC32C.combine(crcA, crcB, lengthB);
    }

    /**
     * CRC32Cs of the pieces of one object, added from any thread in any order, combined in offset order once
     * all have arrived. Thread-safe. The int-typed face of {@link FullObjectCrc#pieces()} for CRC32C.
     */
    public static final class Pieces {
        private final FullObjectCrc.Pieces pieces = FullObjectCrc.CRC32C.pieces();

        /** Adds the piece at {@code offset}: the CRC32C of the remaining bytes of {@code data} (not moved). */
        public void add(long offset, ByteBuffer data) {
            pieces.add(offset, data);
        }

        /** Adds a piece whose CRC32C is already known. */
        public void add(long offset, long length, int crc) {
            pieces.add(offset, length, Integer.toUnsignedLong(crc));
        }

        /** The CRC32C of bytes {@code [0, size)} when the pieces tile them exactly; empty otherwise. */
        public OptionalInt combined(long size) {
            OptionalLong crc = pieces.combined(size);
            return crc.isPresent() ? OptionalInt.of((int) crc.getAsLong()) : OptionalInt.empty();
        }
    }
}
