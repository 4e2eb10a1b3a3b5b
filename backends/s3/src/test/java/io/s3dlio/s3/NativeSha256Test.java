package io.s3dlio.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The payload SHA-256 of direct buffers. Runs twice in the build: from target/classes, where the Java 21 class
 * is used (never available), and from the packaged multi-release jar with native access enabled, where the
 * Java 22+ class must link libcrypto ({@code s3dlio.sha256.expectNative}); there it must agree with the JDK's
 * digest on every size and buffer window, including the ones the JDK path slices differently.
 */
class NativeSha256Test {
    private static final boolean EXPECT_NATIVE = Boolean.getBoolean("s3dlio.sha256.expectNative");

    private static String jdkHex(byte[] data, int offset, int length) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(data, offset, length);
        return HexFormat.of().formatHex(digest.digest());
    }

    @Test
    void availableWhereTheBuildExpectsIt() {
        assertThat(NativeSha256.available()).as(NativeSha256.unavailableBecause()).isEqualTo(EXPECT_NATIVE);
    }

    @Test
    void agreesWithTheJdkDigestOnEveryWindow() throws Exception {
        SplittableRandom random = new SplittableRandom(16);
        byte[] data = new byte[8 * 1024 * 1024 + 4099];
        random.nextBytes(data);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length);
        direct.put(data).clear();
        int[][] windows = {{0, 1}, {0, 63}, {0, 64}, {5, 65_536}, {7, 65_535}, {0, 65_537}, {3, 1_000_003},
            {0, 8 * 1024 * 1024}, {4099, 8 * 1024 * 1024}, {0, data.length}};
        for (int[] window : windows) {
            ByteBuffer body = direct.duplicate().position(window[0]).limit(window[0] + window[1]).slice();
            body.position(0);
            String expected = jdkHex(data, window[0], window[1]);
            assertThat(LeanSigner.sha256Hex(body)).as("window %d+%d", window[0], window[1]).isEqualTo(expected);
            assertThat(body.position()).isZero();
            if (NativeSha256.available()) {
                byte[] hash = new byte[32];
                NativeSha256.digest(body, hash);
                assertThat(HexFormat.of().formatHex(hash)).isEqualTo(expected);
                assertThat(body.position()).isZero();
            }
        }
        // a buffer whose position is not 0: only the remaining bytes count
        ByteBuffer shifted = direct.duplicate().position(1000).limit(1000 + 200_000);
        assertThat(LeanSigner.sha256Hex(shifted)).isEqualTo(jdkHex(data, 1000, 200_000));
        assertThat(shifted.position()).isEqualTo(1000);
    }

    @Test
    void refusesWhatItCannotHash() {
        if (NativeSha256.available()) {
            assertThatThrownBy(() -> NativeSha256.digest(ByteBuffer.allocate(16), new byte[32]))
                    .isInstanceOf(IllegalArgumentException.class);
        } else {
            assertThatThrownBy(() -> NativeSha256.digest(ByteBuffer.allocateDirect(16), new byte[32]))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
