package io.s3dlio.spi;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Capability;
import io.s3dlio.api.ChecksumMismatchException;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * Checks the bytes of a whole object, as they arrive in order, against a checksum the store keeps for it
 * (S3's MD5 ETag of a single-part object and its {@code x-amz-checksum-*} headers, Azure's Content-MD5). The
 * backends feed it from their body readers; {@link #verify} throws {@link ChecksumMismatchException} naming
 * the location. Not thread-safe: one reader feeds one digest.
 */
public final class BodyDigest {
    /** The checksums a store may keep. */
    public enum Algorithm { MD5, CRC32C, CRC32, CRC64NVME, SHA1, SHA256 }

    /** How the store writes the expected value. */
    public enum Encoding { HEX, BASE64 }

    private final Algorithm algorithm;
    private final String expected;
    private final Encoding encoding;
    private final MessageDigest digest;
    private final Checksum checksum;
    private long bytes;

    private BodyDigest(Algorithm algorithm, String expected, Encoding encoding) {
        this.algorithm = requireNonNull(algorithm, "algorithm is null");
        this.expected = requireNonNull(expected, "expected is null");
        this.encoding = requireNonNull(encoding, "encoding is null");
        switch (algorithm) {
            case CRC32C -> {
                this.checksum = new CRC32C();
                this.digest = null;
            }
            case CRC32 -> {
                this.checksum = new CRC32();
                this.digest = null;
            }
            case CRC64NVME -> {
                this.checksum = new Crc64Nvme.Digest();
                this.digest = null;
            }
            default -> {
                this.checksum = null;
                this.digest = messageDigest(algorithm);
            }
        }
    }

    /** A digest expecting {@code expected} (hex or base64 as {@code encoding} says). */
    public static BodyDigest expecting(Algorithm algorithm, String expected, Encoding encoding) {
        return new BodyDigest(algorithm, expected.trim(), encoding);
    }

    /** An S3 ETag that is the MD5 of the object's bytes (32 hex digits, no part count), as a digest. */
    public static java.util.Optional<BodyDigest> ofMd5ETag(String etag) {
        if (etag == null) {
            return java.util.Optional.empty();
        }
        String plain = ETags.unquote(etag).orElse("");
        if (plain.length() != 32 || !plain.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return java.util.Optional.empty(); // multipart ("...-N"), or a server's own format
        }
        return java.util.Optional.of(new BodyDigest(Algorithm.MD5, plain.toLowerCase(Locale.ROOT), Encoding.HEX));
    }

    /**
     * What a whole object read in several pieces is checked against, from the store's {@link ObjectStore#stat}:
     * a full-object CRC it keeps ({@link Capability#FULL_OBJECT_CRC32C}: CRC32C, else CRC32, else CRC64NVME, see
     * {@link FullObjectCrc#storedIn}), else the MD5 it keeps ({@link Capability#FULL_OBJECT_MD5}); empty when it
     * keeps none of them (or offers neither).
     */
    public static Optional<BodyDigest> ofStored(ObjectInfo info, Set<Capability> capabilities) {
        if (capabilities.contains(Capability.FULL_OBJECT_CRC32C)) {
            Optional<FullObjectCrc.Stored> crc = FullObjectCrc.storedIn(info);
            if (crc.isPresent()) {
                return Optional.of(ofCrc(crc.get()));
            }
        }
        if (capabilities.contains(Capability.FULL_OBJECT_MD5)) {
            return info.md5().flatMap(BodyDigest::ofMd5ETag);
        }
        return Optional.empty();
    }

    /**
     * {@link #ofStored(ObjectInfo, Set)} for an object that turned out to need more than one piece: one stat,
     * sent only when the store offers a full-object checksum. The pieces that follow are fed in order.
     */
    public static Optional<BodyDigest> ofStored(ObjectStore store, Location location) throws IOException {
        Set<Capability> capabilities = store.capabilities();
        if (!capabilities.contains(Capability.FULL_OBJECT_CRC32C) && !capabilities.contains(Capability.FULL_OBJECT_MD5)) {
            return Optional.empty();
        }
        return ofStored(store.stat(location), capabilities);
    }

    /** A digest expecting a stored full-object CRC. */
    public static BodyDigest ofCrc(FullObjectCrc.Stored stored) {
        return new BodyDigest(Algorithm.valueOf(stored.kind().name()), stored.base64(), Encoding.BASE64);
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    public void update(byte[] data, int offset, int length) {
        if (checksum != null) {
            checksum.update(data, offset, length);
        } else {
            digest.update(data, offset, length);
        }
        bytes += length;
    }

    public void update(ByteBuffer data) {
        int length = data.remaining();
        if (checksum != null) {
            checksum.update(data);
        } else {
            digest.update(data);
        }
        bytes += length;
    }

    /** Bytes fed so far. */
    public long bytes() {
        return bytes;
    }

    /** Throws unless the bytes fed so far have the expected checksum. */
    public void verify(Location location) throws ChecksumMismatchException {
        byte[] actual;
        if (checksum != null) {
            long value = checksum.getValue();
            actual = new byte[algorithm == Algorithm.CRC64NVME ? 8 : 4];
            for (int i = 0; i < actual.length; i++) {
                actual[i] = (byte) (value >>> (8 * (actual.length - 1 - i)));
            }
        } else {
            actual = digest.digest();
        }
        String text = encoding == Encoding.HEX ? HexFormat.of().formatHex(actual) : Base64.getEncoder().encodeToString(actual);
        boolean same = encoding == Encoding.HEX ? text.equalsIgnoreCase(expected) : text.equals(expected);
        if (!same) {
            throw new ChecksumMismatchException(location, algorithm.name(), expected, text);
        }
    }

    private static MessageDigest messageDigest(Algorithm algorithm) {
        try {
            return MessageDigest.getInstance(switch (algorithm) {
                case MD5 -> "MD5";
                case SHA1 -> "SHA-1";
                case SHA256 -> "SHA-256";
                default -> throw new IllegalArgumentException(algorithm.name());
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    @Override
    public String toString() {
        return "BodyDigest[" + algorithm + " expecting " + expected + "]";
    }
}
