package io.s3dlio.spi;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ObjectInfo;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The CRCs a store may keep of a whole object's bytes that can be checked from pieces read in any order: each
 * piece's CRC is computed where its bytes are and the pieces are combined in offset order ({@link CrcCombine}).
 * S3 keeps one of these as a FULL_OBJECT checksum ({@code x-amz-checksum-crc32c}, {@code -crc32},
 * {@code -crc64nvme}; AWS computes a CRC64NVME itself for objects uploaded without a checksum); a COMPOSITE
 * multipart value ({@code "...-N"}, a checksum of the parts' checksums) is not one and never parses here.
 *
 * <p>In order of preference when a store offers several: CRC32C and CRC32 are JDK intrinsics (a few hundredths
 * of a CPU-second per GiB), CRC64NVME is {@link Crc64Nvme}'s pure-Java table code (several times that, still a
 * fraction of an MD5).
 */
public enum FullObjectCrc {
    CRC32C(CrcCombine.CRC32C),
    CRC32(CrcCombine.CRC32),
    CRC64NVME(CrcCombine.CRC64NVME);

    private final CrcCombine combine;

    FullObjectCrc(CrcCombine combine) {
        this.combine = combine;
    }

    /** A fresh streaming checksum of this kind; {@link Checksum#getValue()} is the CRC (32 bits zero-extended). */
    public Checksum newChecksum() {
        return switch (this) {
            case CRC32C -> new CRC32C();
            case CRC32 -> new CRC32();
            case CRC64NVME -> new Crc64Nvme.Digest();
        };
    }

    /** The CRC of the remaining bytes of {@code data}; its position is not moved. */
    public long of(ByteBuffer data) {
        if (this == CRC64NVME) {
            return Crc64Nvme.of(data);
        }
        Checksum checksum = newChecksum();
        checksum.update(data.duplicate());
        return checksum.getValue();
    }

    /** CRC(A || B) from CRC(A), CRC(B) and the length of B. */
    public long combine(long crcA, long crcB, long lengthB) {
        return combine.combine(crcA, crcB, lengthB);
    }

    /** The value's size in bytes as S3 writes it: 4, or 8 for CRC64NVME. */
    public int bytes() {
        return combine.width() / 8;
    }

    /** The value as S3 writes it: base64 of its big-endian bytes. */
    public String base64(long crc) {
        byte[] raw = new byte[bytes()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (crc >>> (8 * (raw.length - 1 - i)));
        }
        return Base64.getEncoder().encodeToString(raw);
    }

    /**
     * A stored full-object value, if {@code text} is one: base64 of {@link #bytes()} bytes. A composite
     * multipart checksum ({@code "...-3"}) or anything else yields empty.
     */
    public OptionalLong parseBase64(String text) {
        if (text == null || text.isBlank() || text.contains("-")) {
            return OptionalLong.empty();
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            return OptionalLong.empty();
        }
        if (raw.length != bytes()) {
            return OptionalLong.empty();
        }
        long value = 0;
        for (byte b : raw) {
            value = (value << 8) | (b & 0xff);
        }
        return OptionalLong.of(value);
    }

    /**
     * CRCs of the pieces of one object, added from any thread in any order, combined in offset order once all
     * have arrived. Thread-safe.
     */
    public final class Pieces {
        private record Piece(long length, long crc) {}

        private final ConcurrentSkipListMap<Long, Piece> pieces = new ConcurrentSkipListMap<>();

        /** The kind of CRC these pieces are. */
        public FullObjectCrc kind() {
            return FullObjectCrc.this;
        }

        /** Adds the piece at {@code offset}: the CRC of the remaining bytes of {@code data} (not moved). */
        public void add(long offset, ByteBuffer data) {
            requireNonNull(data, "data is null");
            add(offset, data.remaining(), of(data));
        }

        /** Adds a piece whose CRC is already known. */
        public void add(long offset, long length, long crc) {
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
            }
            pieces.put(offset, new Piece(length, crc));
        }

        /** The CRC of bytes {@code [0, size)} when the pieces tile them exactly; empty otherwise. */
        public OptionalLong combined(long size) {
            long next = 0;
            long crc = 0;
            for (Map.Entry<Long, Piece> entry : pieces.entrySet()) {
                if (entry.getKey() != next) {
                    return OptionalLong.empty();
                }
                Piece piece = entry.getValue();
                crc = next == 0 ? piece.crc() : combine(crc, piece.crc(), piece.length());
                next += piece.length();
            }
            return next == size ? OptionalLong.of(crc) : OptionalLong.empty();
        }
    }

    /** A full-object CRC a store keeps: its kind and value. */
    public record Stored(FullObjectCrc kind, long value) {
        public Stored {
            requireNonNull(kind, "kind is null");
        }

        /** The value as S3 writes it. */
        public String base64() {
            return kind.base64(value);
        }
    }

    /** The stored value of this kind in {@code info}, as the store wrote it (base64), if it reports one. */
    public Optional<String> valueIn(ObjectInfo info) {
        return switch (this) {
            case CRC32C -> info.crc32c();
            case CRC32 -> info.crc32();
            case CRC64NVME -> info.crc64nvme();
        };
    }

    /**
     * The full-object CRC {@code info} reports that is cheapest to check, in this enum's order (CRC32C, CRC32,
     * CRC64NVME); empty when it reports none that parses (a composite multipart value never does).
     */
    public static Optional<Stored> storedIn(ObjectInfo info) {
        for (FullObjectCrc kind : values()) {
            OptionalLong value = kind.parseBase64(kind.valueIn(info).orElse(null));
            if (value.isPresent()) {
                return Optional.of(new Stored(kind, value.getAsLong()));
            }
        }
        return Optional.empty();
    }

    /** An empty set of pieces of this kind. */
    public Pieces pieces() {
        return new Pieces();
    }
}
