package io.s3dlio.testkit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/** Reproducible test bytes. */
public final class TestData {
    private TestData() {}

    /** {@code size} pseudo-random bytes from {@code seed}. */
    public static byte[] bytes(int size, long seed) {
        byte[] out = new byte[size];
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer view = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        while (view.remaining() >= 8) {
            view.putLong(random.nextLong());
        }
        while (view.hasRemaining()) {
            view.put((byte) random.nextInt());
        }
        return out;
    }
}
