package io.s3dlio.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.ChecksumMismatchException;
import io.s3dlio.api.Location;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Known checksums of "hello world" (from md5sum, crc32c and the S3 docs' base64 form), fed in pieces. */
class BodyDigestTest {
    private static final byte[] HELLO = "hello world".getBytes(StandardCharsets.US_ASCII);
    private static final Location LOCATION = Location.parse("s3://bucket/hello.txt");

    private static void feedInTwo(BodyDigest digest) {
        digest.update(HELLO, 0, 5);
        digest.update(ByteBuffer.wrap(HELLO, 5, HELLO.length - 5));
    }

    @Test
    void md5ETagMatchesAndMismatchNamesTheLocation() throws Exception {
        BodyDigest good = BodyDigest.ofMd5ETag("\"5eb63bbbe01eeed093cb22bb8f5acdc3\"").orElseThrow();
        feedInTwo(good);
        good.verify(LOCATION);
        assertThat(good.bytes()).isEqualTo(HELLO.length);
        BodyDigest bad = BodyDigest.ofMd5ETag("5eb63bbbe01eeed093cb22bb8f5acdc4").orElseThrow();
        feedInTwo(bad);
        assertThatThrownBy(() -> bad.verify(LOCATION)).isInstanceOf(ChecksumMismatchException.class)
                .hasMessageStartingWith(LOCATION.toString()).hasMessageContaining("MD5");
    }

    @Test
    void multipartAndForeignETagsAreNotDigests() {
        assertThat(BodyDigest.ofMd5ETag("\"5eb63bbbe01eeed093cb22bb8f5acdc3-2\"")).isEmpty();
        assertThat(BodyDigest.ofMd5ETag("0x8DC1234")).isEmpty();
        assertThat(BodyDigest.ofMd5ETag(null)).isEmpty();
    }

    @Test
    void storedCrcAndShaChecksumsInBase64() throws Exception {
        String[][] known = {
                {"CRC32C", "yZRlqg=="},
                {"CRC32", "DUoRhQ=="},
                {"SHA256", "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="},
                {"SHA1", "Kq5sNclPz7QV2+lfQIuc6R7oRu0="}};
        for (String[] checksum : known) {
            BodyDigest digest = BodyDigest.expecting(BodyDigest.Algorithm.valueOf(checksum[0]), checksum[1],
                    BodyDigest.Encoding.BASE64);
            feedInTwo(digest);
            digest.verify(LOCATION);
        }
    }

    @Test
    void storedCrc64NvmeIsEightBytesInBase64() throws Exception {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        BodyDigest good = BodyDigest.expecting(BodyDigest.Algorithm.CRC64NVME, "rosUhgp5mIg=", BodyDigest.Encoding.BASE64);
        good.update(check, 0, 4);
        good.update(ByteBuffer.wrap(check, 4, 5));
        good.verify(LOCATION);
        BodyDigest bad = BodyDigest.expecting(BodyDigest.Algorithm.CRC64NVME, "rosUhgp5mIg=", BodyDigest.Encoding.BASE64);
        bad.update(HELLO, 0, HELLO.length);
        assertThatThrownBy(() -> bad.verify(LOCATION)).isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining("CRC64NVME");
    }

    @Test
    void ofStoredPrefersTheCheapestFullObjectCrcThenMd5() {
        java.util.Set<io.s3dlio.api.Capability> both = java.util.Set.of(io.s3dlio.api.Capability.FULL_OBJECT_CRC32C,
                io.s3dlio.api.Capability.FULL_OBJECT_MD5);
        java.util.Optional<String> none = java.util.Optional.empty();
        java.util.Optional<String> md5 = java.util.Optional.of("5eb63bbbe01eeed093cb22bb8f5acdc3");
        io.s3dlio.api.ObjectInfo crc64 = new io.s3dlio.api.ObjectInfo(LOCATION, 11, java.util.Optional.empty(), none, none, java.util.Map.of(),
                none, none, none, md5, none, java.util.Optional.of("rosUhgp5mIg="));
        assertThat(BodyDigest.ofStored(crc64, both)).get().extracting(BodyDigest::algorithm)
                .isEqualTo(BodyDigest.Algorithm.CRC64NVME);
        io.s3dlio.api.ObjectInfo crc32AndCrc64 = new io.s3dlio.api.ObjectInfo(LOCATION, 11, java.util.Optional.empty(), none, none,
                java.util.Map.of(), none, none, none, md5, java.util.Optional.of("DUoRhQ=="), java.util.Optional.of("rosUhgp5mIg="));
        assertThat(BodyDigest.ofStored(crc32AndCrc64, both)).get().extracting(BodyDigest::algorithm)
                .isEqualTo(BodyDigest.Algorithm.CRC32);
        io.s3dlio.api.ObjectInfo composite = new io.s3dlio.api.ObjectInfo(LOCATION, 11, java.util.Optional.empty(), none, none,
                java.util.Map.of(), none, none, none, md5, none, java.util.Optional.of("rosUhgp5mIg=-2"));
        assertThat(BodyDigest.ofStored(composite, both)).as("a composite value is not a full-object CRC: MD5 instead")
                .get().extracting(BodyDigest::algorithm).isEqualTo(BodyDigest.Algorithm.MD5);
    }

    @Test
    void contentRangeFirstByte() {
        assertThat(ContentRange.firstByte("bytes 100-199/1000")).hasValue(100);
        assertThat(ContentRange.firstByte("bytes */1000")).isEmpty();
        assertThat(ContentRange.firstByte(null)).isEmpty();
    }
}
