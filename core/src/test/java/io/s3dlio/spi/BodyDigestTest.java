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
    void contentRangeFirstByte() {
        assertThat(ContentRange.firstByte("bytes 100-199/1000")).hasValue(100);
        assertThat(ContentRange.firstByte("bytes */1000")).isEmpty();
        assertThat(ContentRange.firstByte(null)).isEmpty();
    }
}
