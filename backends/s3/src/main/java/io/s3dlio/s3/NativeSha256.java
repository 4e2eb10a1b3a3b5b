package io.s3dlio.s3;

import java.nio.ByteBuffer;

/**
 * The SHA-256 of a direct buffer computed by the system's libcrypto on the buffer's own memory. The JDK's digest
 * reads heap arrays only, so a direct part buffer was copied through a heap slice to be hashed, and its SHA-NI stub
 * runs only once C2 has compiled it. This is the Java 21 version of the class: never available. The Java 22+
 * version (src/main/java22, in the multi-release jar) calls {@code SHA256_Update} through the FFM API when the JVM
 * lets this library call native code ({@code --enable-native-access=ALL-UNNAMED}, as s3-cli's launcher does).
 */
final class NativeSha256 {
    private NativeSha256() {}

    /** Whether {@link #digest} can be called. */
    static boolean available() {
        return false;
    }

    /** Writes the SHA-256 of {@code direct}'s remaining bytes into {@code into[0..32)}; its position is kept. */
    static void digest(ByteBuffer direct, byte[] into) {
        if (!available()) {
            throw new UnsupportedOperationException("native SHA-256 needs Java 22 or newer");
        }
    }

    /** Why {@link #available} is false, or empty (for messages and tests). */
    static String unavailableBecause() {
        return "the JVM is older than Java 22";
    }
}
