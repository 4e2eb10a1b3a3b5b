package io.s3dlio.store.local;

import static java.util.Objects.requireNonNull;

import io.s3dlio.config.ConfigSource;
import java.util.Locale;

/**
 * Settings of the local stores, mapped once from a {@link ConfigSource}.
 *
 * <p>direct:// has no such choice: its reads always land in native buffers aligned for O_DIRECT, because
 * an O_DIRECT read into a heap buffer makes the JDK allocate a fresh aligned native buffer for every call
 * and copy from it (measured 2-4x slower, docs/BENCHMARKS.md).
 *
 * @param fileReads where file:// reads land ({@code S3DLIO_FILE_READ_BUFFERS}, default {@link ReadBuffers#HEAP})
 */
public record LocalStoreConfig(ReadBuffers fileReads) {
    public static final String FILE_READ_BUFFERS = "S3DLIO_FILE_READ_BUFFERS";

    public static final LocalStoreConfig DEFAULT = new LocalStoreConfig(ReadBuffers.HEAP);

    /**
     * The kind of buffer a file:// read returns. Either way it is one buffer per object, wrapped without a
     * copy. See docs/BENCHMARKS.md for what each costs.
     */
    public enum ReadBuffers {
        /**
         * A Java heap buffer. The JDK passes the bytes through its cached per-thread native buffer (reads are
         * issued in slices so that buffer stays small); allocation is cheap and the memory returns with the
         * next young collection.
         */
        HEAP,
        /**
         * A native (direct) buffer: the kernel copies straight into it, and native code can use it without a
         * copy. Each read allocates fresh native memory (zeroed and faulted in page by page), freed only when a
         * garbage collection finds the buffer unreachable.
         */
        DIRECT
    }

    public LocalStoreConfig {
        requireNonNull(fileReads, "fileReads is null");
    }

    /** Maps the variables above; an unknown value fails naming the variable, the value and the choices. */
    public static LocalStoreConfig from(ConfigSource config) {
        requireNonNull(config, "config is null");
        return new LocalStoreConfig(buffers(config, FILE_READ_BUFFERS, DEFAULT.fileReads()));
    }

    private static ReadBuffers buffers(ConfigSource config, String name, ReadBuffers fallback) {
        return config.get(name).map(value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "heap" -> ReadBuffers.HEAP;
            case "direct" -> ReadBuffers.DIRECT;
            default -> throw new IllegalArgumentException(name + "=" + value + " is not valid; use heap or direct");
        }).orElse(fallback);
    }
}
