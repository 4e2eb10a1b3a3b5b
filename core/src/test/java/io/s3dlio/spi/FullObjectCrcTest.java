package io.s3dlio.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FullObjectCrcTest {
    private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = new byte[1024 * 1024 + 37];

    static {
        new Random(16).nextBytes(DATA);
    }

    /** Bit at a time, straight from the definition: the reference the table code is held to. */
    private static long bitwiseCrc64Nvme(byte[] data, int offset, int length) {
        long crc = -1L;
        for (int i = offset; i < offset + length; i++) {
            crc ^= data[i] & 0xffL;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9A6C9329AC4BC9B5L : crc >>> 1;
            }
        }
        return ~crc;
    }

    @Test
    void crc64NvmeHasTheCatalogueCheckValue() {
        assertThat(Crc64Nvme.of(CHECK, 0, CHECK.length)).isEqualTo(0xAE8B14860A799888L);
        assertThat(Crc64Nvme.of(ByteBuffer.wrap(CHECK))).isEqualTo(0xAE8B14860A799888L);
        assertThat(Crc64Nvme.of(new byte[0], 0, 0)).as("empty").isZero();
        // As S3 writes it in x-amz-checksum-crc64nvme: base64 of the 8 big-endian bytes.
        assertThat(FullObjectCrc.CRC64NVME.base64(0xAE8B14860A799888L)).isEqualTo("rosUhgp5mIg=");
        assertThat(FullObjectCrc.CRC64NVME.parseBase64("rosUhgp5mIg=")).hasValue(0xAE8B14860A799888L);
    }

    @Test
    void crc64NvmeMatchesTheBitwiseDefinitionAtEveryLengthAndAlignment() {
        for (int offset = 0; offset < 17; offset++) {
            for (int length = 0; length < 300; length += 1 + length / 8) {
                long expected = bitwiseCrc64Nvme(DATA, offset, length);
                assertThat(Crc64Nvme.of(DATA, offset, length)).as("offset %d length %d", offset, length).isEqualTo(expected);
                ByteBuffer direct = ByteBuffer.allocateDirect(length);
                direct.put(DATA, offset, length).flip();
                assertThat(Crc64Nvme.of(direct)).as("direct, length %d", length).isEqualTo(expected);
                assertThat(direct.position()).as("of() does not move the buffer").isZero();
            }
        }
        assertThat(Crc64Nvme.of(DATA, 0, DATA.length)).isEqualTo(bitwiseCrc64Nvme(DATA, 0, DATA.length));
    }

    @Test
    void crc64NvmeStreamsAcrossUpdates() {
        Crc64Nvme.Digest digest = new Crc64Nvme.Digest();
        digest.update(DATA, 0, 5);
        digest.update(DATA[5]);
        digest.update(ByteBuffer.wrap(DATA, 6, 1000));
        digest.update(DATA, 1006, DATA.length - 1006);
        assertThat(digest.getValue()).isEqualTo(Crc64Nvme.of(DATA, 0, DATA.length));
        digest.reset();
        assertThat(digest.getValue()).isZero();
    }

    @Test
    void theOtherCrcsHaveTheirCheckValues() {
        assertThat(FullObjectCrc.CRC32.of(ByteBuffer.wrap(CHECK))).isEqualTo(0xCBF43926L);
        assertThat(FullObjectCrc.CRC32C.of(ByteBuffer.wrap(CHECK))).isEqualTo(0xE3069283L);
        assertThat(FullObjectCrc.CRC32C.base64(0xE3069283L)).isEqualTo(Crc32c.base64(0xE3069283));
    }

    @ParameterizedTest
    @EnumSource(FullObjectCrc.class)
    void combineEqualsTheCrcOfTheConcatenationAtAnyCut(FullObjectCrc kind) {
        long whole = kind.of(ByteBuffer.wrap(DATA));
        Random random = new Random(kind.name().hashCode());
        for (int trial = 0; trial < 200; trial++) {
            int cut = trial < 3 ? new int[] {0, DATA.length, 1}[trial] : random.nextInt(DATA.length + 1);
            long a = kind.of(ByteBuffer.wrap(DATA, 0, cut));
            long b = kind.of(ByteBuffer.wrap(DATA, cut, DATA.length - cut));
            assertThat(kind.combine(a, b, DATA.length - cut)).as("cut at %d", cut).isEqualTo(whole);
        }
    }

    @ParameterizedTest
    @EnumSource(FullObjectCrc.class)
    void combineIsAssociativeAndPiecesInAnyOrderGiveTheWhole(FullObjectCrc kind) {
        long whole = kind.of(ByteBuffer.wrap(DATA));
        FullObjectCrc.Pieces pieces = kind.pieces();
        int[] cuts = {0, 1, 17, 65_536, 300_001, 1_000_000, DATA.length};
        for (int i = cuts.length - 2; i >= 0; i--) { // last piece first
            pieces.add(cuts[i], ByteBuffer.wrap(DATA, cuts[i], cuts[i + 1] - cuts[i]));
        }
        assertThat(pieces.combined(DATA.length)).hasValue(whole);
        assertThat(pieces.combined(DATA.length - 1L)).isEmpty();
        // (A+B)+C == A+(B+C)
        long a = kind.of(ByteBuffer.wrap(DATA, 0, 100));
        long b = kind.of(ByteBuffer.wrap(DATA, 100, 5000));
        long c = kind.of(ByteBuffer.wrap(DATA, 5100, 777));
        assertThat(kind.combine(kind.combine(a, b, 5000), c, 777)).isEqualTo(kind.combine(a, kind.combine(b, c, 777), 5777));
    }

    @ParameterizedTest
    @EnumSource(FullObjectCrc.class)
    void aFlippedBitChangesTheCombinedValue(FullObjectCrc kind) {
        byte[] copy = DATA.clone();
        copy[700_000] ^= 0x10;
        FullObjectCrc.Pieces pieces = kind.pieces();
        pieces.add(0, ByteBuffer.wrap(copy, 0, 524_288));
        pieces.add(524_288, ByteBuffer.wrap(copy, 524_288, copy.length - 524_288));
        assertThat(pieces.combined(copy.length)).isNotEqualTo(java.util.OptionalLong.of(kind.of(ByteBuffer.wrap(DATA))));
    }

    @Test
    void combineAgreesWithTheJdkAndTheOlderCrc32cCombine() {
        CRC32 crc32 = new CRC32();
        crc32.update(DATA);
        CRC32C crc32c = new CRC32C();
        crc32c.update(DATA);
        int cut = 123_457;
        long a = FullObjectCrc.CRC32.of(ByteBuffer.wrap(DATA, 0, cut));
        long b = FullObjectCrc.CRC32.of(ByteBuffer.wrap(DATA, cut, DATA.length - cut));
        assertThat(CrcCombine.CRC32.combine(a, b, DATA.length - cut)).isEqualTo(crc32.getValue());
        int ca = Crc32c.of(ByteBuffer.wrap(DATA, 0, cut));
        int cb = Crc32c.of(ByteBuffer.wrap(DATA, cut, DATA.length - cut));
        assertThat(CrcCombine.CRC32C.combine(ca, cb, DATA.length - cut)).isEqualTo(crc32c.getValue())
                .isEqualTo(Crc32c.combine(ca, cb, DATA.length - cut) & 0xffffffffL);
        // A length far beyond any object (2^40 bytes of B): still defined, and equal to composing the halves.
        long big = 1L << 40;
        assertThat(CrcCombine.CRC64NVME.combine(CrcCombine.CRC64NVME.combine(a, 0, big), 0, big))
                .isEqualTo(CrcCombine.CRC64NVME.combine(a, 0, 2 * big));
    }

    @Test
    void compositeAndMalformedValuesDoNotParse() {
        assertThat(FullObjectCrc.CRC64NVME.parseBase64("rosUhgp5mIg=-3")).isEmpty();
        assertThat(FullObjectCrc.CRC64NVME.parseBase64("4waSgw==")).as("four bytes is not a CRC64").isEmpty();
        assertThat(FullObjectCrc.CRC32.parseBase64("rosUhgp5mIg=")).as("eight bytes is not a CRC32").isEmpty();
        assertThat(FullObjectCrc.CRC32.parseBase64("not base64!")).isEmpty();
        assertThat(FullObjectCrc.CRC32.parseBase64(null)).isEmpty();
    }
}
