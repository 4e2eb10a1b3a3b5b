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
 * The SHA-256 of a direct buffer computed by the system's libcrypto ({@code SHA256_Init/Update/Final}, OpenSSL
 * 1.1 or 3) on the buffer's own memory, through the FFM API: no copy into a heap slice, and the SHA-NI code
 * runs from the first part whatever the JIT has compiled (issue 16, wave 14; docs/BENCHMARKS.md). Available only
 * where the JVM lets this library call native code ({@code --enable-native-access=ALL-UNNAMED}): elsewhere it is
 * not tried, so the JVM prints no warning. The library is the file named by the system property
 * {@code s3dlio.libcrypto} when set, else {@code libcrypto.so.3}, else {@code libcrypto.so.1.1}.
 * Thread-safe.
 */
final class NativeSha256 {
    private static final long SHA256_BYTES = 32;
    private static final Linked LINKED = link();
    /** {@code sizeof(SHA256_CTX)} is 112 bytes in OpenSSL 1.1 and 3; room to spare. */
    private static final long CONTEXT_BYTES = 256;
    private static final MethodHandle SHA256_INIT = LINKED.init();
    private static final MethodHandle SHA256_UPDATE = LINKED.update();
    private static final MethodHandle SHA256_FINAL = LINKED.fin();

    /** What linking gave: the three handles, or none and why. */
    private record Linked(MethodHandle init, MethodHandle update, MethodHandle fin, String why) {}

    private NativeSha256() {}

    // Restricted methods, called only where native access is enabled (so the JVM has nothing to warn about).
    @SuppressWarnings("restricted")
    private static Linked link() {
        if (!NativeSha256.class.getModule().isNativeAccessEnabled()) {
            return new Linked(null, null, null, "native access is not enabled (--enable-native-access=ALL-UNNAMED)");
        }
        try {
            Optional<SymbolLookup> crypto = libcrypto();
            if (crypto.isEmpty()) {
                return new Linked(null, null, null, "no libcrypto.so.3 or libcrypto.so.1.1 could be loaded");
            }
            Linker linker = Linker.nativeLinker();
            // SHA256_Init/Update/Final (deprecated in OpenSSL 3, still exported): the block code straight, where
            // EVP_Digest first builds OpenSSL 3's provider and method stores (a few MiB of the process's memory).
            MethodHandle init = linker.downcallHandle(crypto.get().find("SHA256_Init").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            MethodHandle update = linker.downcallHandle(crypto.get().find("SHA256_Update").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_LONG));
            MethodHandle fin = linker.downcallHandle(crypto.get().find("SHA256_Final").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            return new Linked(init, update, fin, "");
        } catch (Throwable e) { // a missing symbol, a linker that refuses: the JDK's digest does the work
            return new Linked(null, null, null, "libcrypto could not be linked: " + e);
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
        return SHA256_INIT != null;
    }

    /** Writes the SHA-256 of {@code direct}'s remaining bytes into {@code into[0..32)}; its position is kept. */
    static void digest(ByteBuffer direct, byte[] into) {
        if (SHA256_INIT == null) {
            throw new UnsupportedOperationException("native SHA-256 is not available: " + LINKED.why());
        }
        if (!direct.isDirect() || into.length < SHA256_BYTES) {
            throw new IllegalArgumentException("needs a direct buffer and 32 bytes to write into");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment context = arena.allocate(CONTEXT_BYTES, 16);
            MemorySegment md = arena.allocate(SHA256_BYTES);
            // The segment keeps the buffer reachable for the call; its bounds are the buffer's position and limit.
            MemorySegment data = MemorySegment.ofBuffer(direct);
            if ((int) SHA256_INIT.invokeExact(context) != 1
                    || (int) SHA256_UPDATE.invokeExact(context, data, data.byteSize()) != 1
                    || (int) SHA256_FINAL.invokeExact(md, context) != 1) {
                throw new IllegalStateException("libcrypto's SHA-256 failed");
            }
            MemorySegment.copy(md, ValueLayout.JAVA_BYTE, 0, into, 0, (int) SHA256_BYTES);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("libcrypto's SHA-256 could not be called", e);
        }
    }

    /** Why {@link #available} is false, or empty (for messages and tests). */
    static String unavailableBecause() {
        return LINKED.why();
    }
}
