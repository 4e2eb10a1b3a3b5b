package io.s3dlio.engine.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InOrderDigestTest {

    @Test
    void chunksLandingInAnyOrderOnManyThreadsAreHashedInOffsetOrder() throws Exception {
        byte[] data = new byte[1_000_003];
        new Random(7).nextBytes(data);
        String expected = RangeEngineMd5Test.md5Hex(ByteBuffer.wrap(data));
        for (int round = 0; round < 20; round++) {
            int chunk = 1000 + round * 997;
            List<Integer> offsets = new ArrayList<>();
            for (int at = 0; at < data.length; at += chunk) {
                offsets.add(at);
            }
            Collections.shuffle(offsets, new Random(round));
            InOrderDigest digest = InOrderDigest.md5(0, data.length);
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> done = new ArrayList<>();
                for (int offset : offsets) {
                    int length = Math.min(chunk, data.length - offset);
                    done.add(threads.submit(() -> {
                        ByteBuffer view = ByteBuffer.wrap(data, offset, length).slice();
                        digest.landed(offset, view);
                        digest.awaitHashed(offset + length); // as a pooled buffer's owner does
                        return null;
                    }));
                }
                for (Future<?> future : done) {
                    future.get(1, TimeUnit.MINUTES);
                }
            }
            assertThat(HexFormat.of().formatHex(digest.finish().orElseThrow())).isEqualTo(expected);
        }
    }

    @Test
    void stopReleasesWaitersAndYieldsNoDigest() throws Exception {
        InOrderDigest digest = InOrderDigest.md5(0, 200);
        CountDownLatch waiting = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> waiter = threads.submit(() -> {
                digest.landed(100, ByteBuffer.allocate(100)); // the chunk before it never lands
                waiting.countDown();
                digest.awaitHashed(200);
                return null;
            });
            waiting.await();
            digest.stop();
            waiter.get(1, TimeUnit.MINUTES);
        }
        assertThat(digest.finish()).isEmpty();
    }

    @Test
    void aMissingChunkIsReportedNotWaitedFor() {
        InOrderDigest digest = InOrderDigest.md5(0, 200);
        digest.landed(0, ByteBuffer.allocate(100));
        assertThatThrownBy(digest::finish).isInstanceOf(IllegalStateException.class).hasMessageContaining("100 of 200");
    }
}
