package io.s3dlio.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.ReadResult;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** getRange and the positional read primitive, including the edges. */
public abstract class RangeReadContract extends ContractSupport {
    private static final int SIZE = 3 * ALIGNMENT + 123;

    @ParameterizedTest(name = "offset {0} length {1}")
    @CsvSource({
        "0, 1",          // first byte
        "12410, 1",      // last byte (SIZE - 1)
        "0, 12411",      // everything
        "1, 4095",       // unaligned start, ends on the alignment
        "4095, 2",       // straddles an alignment boundary
        "4096, 4096",    // exactly one aligned block
        "5000, 100",     // inside one block
        "100, 12000",    // long unaligned
    })
    void rangeReturnsTheRequestedBytes(long offset, long length) throws Exception {
        Location location = at("ranged");
        byte[] data = putRandom(location, SIZE, 11);
        byte[] got = store().getRange(location, offset, OptionalLong.of(length)).toArray();
        assertThat(got).isEqualTo(Arrays.copyOfRange(data, (int) offset, (int) (offset + length)));
    }

    @Test
    void rangeWithoutLengthReadsToTheEnd() throws Exception {
        Location location = at("tail");
        byte[] data = putRandom(location, SIZE, 12);
        assertThat(store().getRange(location, 4097, OptionalLong.empty()).toArray())
                .isEqualTo(Arrays.copyOfRange(data, 4097, SIZE));
    }

    @Test
    void rangePastTheEndIsCut() throws Exception {
        Location location = at("cut");
        byte[] data = putRandom(location, SIZE, 13);
        assertThat(store().getRange(location, SIZE - 10, OptionalLong.of(1000)).toArray())
                .isEqualTo(Arrays.copyOfRange(data, SIZE - 10, SIZE));
    }

    @Test
    void rangeAtTheEndIsEmpty() throws Exception {
        Location location = at("at-end");
        putRandom(location, SIZE, 14);
        assertThat(store().getRange(location, SIZE, OptionalLong.of(10)).size()).isZero();
        assertThat(store().getRange(location, SIZE, OptionalLong.empty()).size()).isZero();
    }

    @Test
    void rangeBeyondTheEndFails() throws Exception {
        Location location = at("beyond");
        putRandom(location, SIZE, 15);
        assertThatThrownBy(() -> store().getRange(location, SIZE + 1, OptionalLong.of(10)))
                .isInstanceOf(EOFException.class)
                .hasMessageContaining(location.toString());
    }

    @Test
    void rangeOfEmptyObject() throws Exception {
        Location location = at("empty");
        putRandom(location, 0, 0);
        assertThat(store().getRange(location, 0, OptionalLong.empty()).size()).isZero();
        assertThat(store().getRange(location, 0, OptionalLong.of(5)).size()).isZero();
    }

    @Test
    void zeroLengthRange() throws Exception {
        Location location = at("zero-length");
        putRandom(location, 100, 16);
        assertThat(store().getRange(location, 50, OptionalLong.of(0)).size()).isZero();
    }

    @Test
    void rangeOfMissingObject() {
        Location location = at("missing");
        assertThatThrownBy(() -> store().getRange(location, 0, OptionalLong.of(1)))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessageContaining(location.toString());
    }

    @Test
    void positionalReadFillsTheTargetSliceAndReportsTheSize() throws Exception {
        Location location = at("positional");
        byte[] data = putRandom(location, SIZE, 17);
        ByteBuffer target = ByteBuffer.allocate(8000);
        target.position(1000).limit(6000);
        ReadResult result = store().read(location, 4001, target);
        assertThat(result.bytesRead()).isEqualTo(5000);
        assertThat(target.position()).isEqualTo(6000);
        if (result.objectSize().isPresent()) {
            assertThat(result.objectSize().getAsLong()).isEqualTo(SIZE);
        }
        byte[] got = Arrays.copyOfRange(target.array(), 1000, 6000);
        assertThat(got).isEqualTo(Arrays.copyOfRange(data, 4001, 9001));
    }

    @Test
    protected void positionalReadStopsAtTheEnd() throws Exception {
        Location location = at("positional-end");
        byte[] data = putRandom(location, 100, 18);
        ByteBuffer target = ByteBuffer.allocate(500);
        ReadResult result = store().read(location, 40, target);
        assertThat(result.bytesRead()).isEqualTo(60);
        assertThat(Arrays.copyOf(target.array(), 60)).isEqualTo(Arrays.copyOfRange(data, 40, 100));
        ReadResult atEnd = store().read(location, 100, ByteBuffer.allocate(10));
        assertThat(atEnd.bytesRead()).isZero();
    }

    @Test
    protected void positionalReadOfEmptyObjectReportsZeroSize() throws Exception {
        Location location = at("positional-empty");
        putRandom(location, 0, 0);
        ReadResult result = store().read(location, 0, ByteBuffer.allocate(64));
        assertThat(result.bytesRead()).isZero();
        result.objectSize().ifPresent(size -> assertThat(size).isZero());
    }
}
