package io.s3dlio.format;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/** Deterministic pseudo-random payloads for tests. */
final class TestContent {
    private TestContent() {
    }

    static byte[] bytes(long seed, int length) {
        byte[] out = new byte[length];
        new SplittableRandom(seed).nextBytes(out);
        return out;
    }

    /** A source that yields {@link #bytes} of each seed in turn, so a test can know every byte written. */
    static ContentSource of(byte[] all) {
        return ContentSource.of(ByteBuffer.wrap(all));
    }
}
