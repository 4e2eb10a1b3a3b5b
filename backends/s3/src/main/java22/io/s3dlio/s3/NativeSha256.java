package io.s3dlio.s3;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SHA-256 of a direct buffer computed by the system's libcrypto ({@code EVP_Digest} with {@code EVP_sha256},
 * OpenSSL 1.1 or 3) on the buffer's own memory, through the FFM API: no copy into a heap slice, and the SHA-NI code
 * runs from the first part whatever the JIT has compiled (issue 16, wave 14; docs/BENCHMARKS.md). Available only
 * where the JVM lets this library call native code ({@code --enable-native-access=ALL-UNNAMED}): elsewhere it is
 * not tried, so the JVM prints no warning. The library is the file named by the system property
 * {@code s3dlio.libcrypto} (s3-cli's launcher sets it), else {@code libcrypto.so.3}, else {@code libcrypto.so.1.1}.
 * Thread-safe.
 */
final class NativeSha256 {
    private static final long SHA256_BYTES = 32;
    private static final Linked LINKED = link();
    private static final MethodHandle EVP_DIGEST = LINKED.digest();
    private static final MemorySegment SHA256_MD = LINKED.md();

    /** What linking gave: both handles, or neither and why. */
    private record Linked(MethodHandle digest, MemorySegment md, String why) {}

    private NativeSha256() {}

    // Restricted methods, called only where native access is enabled (so the JVM has nothing to warn about).
    @SuppressWarnings("restricted")
    private static Linked link() {
        if (!NativeSha256.class.getModule().isNativeAccessEnabled()) {
            return new Linked(null, null, "native access is not enabled (--enable-native-access=ALL-UNNAMED)");
        }
        try {
            Optional<SymbolLookup> crypto = libcrypto();
            if (crypto.isEmpty()) {
                return new Linked(null, null, "no libcrypto.so.3 or libcrypto.so.1.1 could be loaded");
            }
            Linker linker = Linker.nativeLinker();
            MethodHandle evpSha256 = linker.downcallHandle(crypto.get().find("EVP_sha256").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS));
            // int EVP_Digest(const void *data, size_t count, unsigned char *md, unsigned int *size,
            //                const EVP_MD *type, ENGINE *impl)
            MethodHandle digest = linker.downcallHandle(crypto.get().find("EVP_Digest").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            MemorySegment md = (MemorySegment) evpSha256.invokeExact();
            if (md.equals(MemorySegment.NULL)) {
                return new Linked(null, null, "EVP_sha256 returned NULL");
            }
            return new Linked(digest, md, "");
        } catch (Throwable e) { // a missing symbol, a linker that refuses: the JDK's digest does the work
            return new Linked(null, null, "libcrypto could not be linked: " + e);
        }
    }

    @SuppressWarnings("restricted")
    private static Optional<SymbolLookup> libcrypto() {
        List<String> names = new ArrayList<>();
        String named = System.getProperty("s3dlio.libcrypto", "");
        if (!named.isEmpty()) {
            names.add(named);
        }
        names.add("libcrypto.so.3");
        names.add("libcrypto.so.1.1");
        for (String name : names) {
            try {
                return Optional.of(SymbolLookup.libraryLookup(name, Arena.global()));
            } catch (IllegalArgumentException notFound) {
                // try the next name
            }
        }
        return Optional.empty();
    }

    /** Whether {@link #digest} can be called. */
    static boolean available() {
        return EVP_DIGEST != null;
    }

    /** Writes the SHA-256 of {@code direct}'s remaining bytes into {@code into[0..32)}; its position is kept. */
    static void digest(ByteBuffer direct, byte[] into) {
        if (EVP_DIGEST == null) {
            throw new UnsupportedOperationException("native SHA-256 is not available: " + LINKED.why());
        }
        if (!direct.isDirect() || into.length < SHA256_BYTES) {
            throw new IllegalArgumentException("needs a direct buffer and 32 bytes to write into");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment md = arena.allocate(SHA256_BYTES);
            // The segment keeps the buffer reachable for the call; its bounds are the buffer's position and limit.
            MemorySegment data = MemorySegment.ofBuffer(direct);
            int ok = (int) EVP_DIGEST.invokeExact(data, data.byteSize(), md, MemorySegment.NULL, SHA256_MD,
                    MemorySegment.NULL);
            if (ok != 1) {
                throw new IllegalStateException("EVP_Digest(SHA-256) failed");
            }
            MemorySegment.copy(md, ValueLayout.JAVA_BYTE, 0, into, 0, (int) SHA256_BYTES);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("EVP_Digest(SHA-256) could not be called", e);
        }
    }

    /** Why {@link #available} is false (for the verbose log), or empty. */
    static String unavailableBecause() {
        return LINKED.why();
    }
}
