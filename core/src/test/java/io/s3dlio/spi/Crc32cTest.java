package io.s3dlio.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc32cTest {
    private static final byte[] DATA = new byte[3 * 1024 * 1024 + 17];

    static {
        new Random(15).nextBytes(DATA);
    }

    @Test
    void combiningPiecesInAnyOrderGivesTheWholeObjectsValue() {
        int whole = Crc32c.of(ByteBuffer.wrap(DATA));
        Crc32c.Pieces pieces = new Crc32c.Pieces();
        int[] cuts = {0, 1, 65_536, 1_000_000, 2_097_152, DATA.length};
        for (int i = cuts.length - 2; i >= 0; i--) { // last piece first
            pieces.add(cuts[i], ByteBuffer.wrap(DATA, cuts[i], cuts[i + 1] - cuts[i]));
        }
        assertThat(pieces.combined(DATA.length)).hasValue(whole);
        assertThat(pieces.combined(DATA.length + 1L)).as("pieces that do not reach the size").isEmpty();
    }

    @Test
    void aGapIsNotACombination() {
        Crc32c.Pieces pieces = new Crc32c.Pieces();
        pieces.add(0, ByteBuffer.wrap(DATA, 0, 10));
        pieces.add(20, ByteBuffer.wrap(DATA, 20, 10));
        assertThat(pieces.combined(30)).isEmpty();
    }

    @Test
    void base64IsWhatS3AndGcsWrite() {
        // CRC32C("123456789") = 0xE3069283, the check value of the Castagnoli CRC.
        int crc = Crc32c.of(ByteBuffer.wrap("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertThat(crc).isEqualTo(0xE3069283);
        assertThat(Crc32c.base64(crc)).isEqualTo("4waSgw==");
        assertThat(Crc32c.parseBase64("4waSgw==")).hasValue(crc);
        assertThat(Crc32c.parseBase64("4waSgw==-3")).as("composite").isEmpty();
        assertThat(Crc32c.parseBase64("not base64!")).isEmpty();
        assertThat(Crc32c.parseBase64(null)).isEmpty();
    }
}
