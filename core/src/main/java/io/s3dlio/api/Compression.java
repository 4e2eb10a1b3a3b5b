package io.s3dlio.api;

/**
 * Compression applied by a writer before the bytes are stored. The checksum a writer reports is always of
 * the uncompressed bytes.
 *
 * @param codec the codec
 * @param level codec level (zstd: 1..22; ignored for NONE)
 */
public record Compression(Codec codec, int level) {
    public enum Codec { NONE, ZSTD }

    public static final Compression NONE = new Compression(Codec.NONE, 0);

    public Compression {
        if (codec == null) {
            throw new NullPointerException("codec is null");
        }
        if (codec == Codec.ZSTD && (level < 1 || level > 22)) {
            throw new IllegalArgumentException("zstd level must be 1..22: " + level);
        }
    }

    public static Compression zstd(int level) {
        return new Compression(Codec.ZSTD, level);
    }
}
