package io.s3dlio.oplog;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.spi.FirstByte;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The first-byte watch keeps one state per thread (no array per call): a call sees its own first mark only, a
 * nested call neither loses nor steals the outer call's mark, and nothing is seen once the watch ends.
 */
class FirstByteNestingTest {

    @Test
    void eachCallSeesItsOwnFirstMarkAndNestingRestoresTheOuterOne() {
        FirstByte.mark(); // nobody watches: ignored
        long before = System.nanoTime();
        long[] outer = FirstByte.watch();
        assertThat(outer).isNull();
        FirstByte.mark();
        long outerMarked = System.nanoTime();

        long[] inner = FirstByte.watch();
        assertThat(inner).isNotNull();
        OptionalLong innerNone = FirstByte.take(inner); // the inner call had no mark of its own
        assertThat(innerNone).isEmpty();

        long[] again = FirstByte.watch();
        FirstByte.mark();
        FirstByte.mark(); // only the first mark of a call counts
        OptionalLong innerMark = FirstByte.take(again);
        assertThat(innerMark).isPresent();
        assertThat(innerMark.getAsLong()).isGreaterThanOrEqualTo(outerMarked);

        OptionalLong outerMark = FirstByte.take(outer);
        assertThat(outerMark).isPresent();
        assertThat(outerMark.getAsLong()).isBetween(before, outerMarked);

        // The watch is over: a mark now goes nowhere, and the next call starts clean.
        FirstByte.mark();
        long[] next = FirstByte.watch();
        assertThat(next).isNull();
        assertThat(FirstByte.take(next)).isEmpty();
        assertThat(FirstByte.take(null)).isEmpty(); // an unbalanced take returns nothing rather than failing
    }

    @Test
    void aMarkMadeDuringANestedCallDoesNotCountForTheOuterCall() {
        long[] outer = FirstByte.watch();
        long[] inner = FirstByte.watch();
        FirstByte.mark();
        assertThat(FirstByte.take(inner)).isPresent();
        assertThat(FirstByte.take(outer)).isEmpty();
    }
}
