package io.s3dlio.engine.tuning;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.WriteOptions;
import io.s3dlio.engine.upload.PartSizing;
import io.s3dlio.engine.upload.UploadLimits;
import io.s3dlio.engine.upload.UploadPlan;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Chooses the part size and parts in flight for every multipart upload (S3 multipart, Azure staged blocks,
 * GCS resumable chunks), in one call: {@link #plan}. The rule, in order:
 *
 * <ol>
 *   <li>An explicit part size wins: {@link WriteOptions#partSize()}, then the backend's own setting
 *       ({@code S3DLIO_AZURE_BLOCK_SIZE}, {@code S3DLIO_GCS_CHUNK_SIZE}: {@link BackendOverride}), then
 *       {@code S3DLIO_PART_SIZE}.</li>
 *   <li>Otherwise a tier from the link speed: 16 MiB up to 10 Gb/s, 32 MiB up to 25 Gb/s, 64 MiB above.
 *       A faster link moves a part in less time, so bigger parts keep the per-request cost small.</li>
 *   <li>When the object size is known, the tier steps down (not below 16 MiB) until the object splits into
 *       at least as many parts as there are upload slots, so a mid-sized object still uses every slot.</li>
 *   <li>{@code S3DLIO_MIN_PART_SIZE} is a floor under the result of 2 and 3.</li>
 *   <li>The backend's hard limits are applied last (S3: 5 MiB..5 GiB, 10,000 parts; Azure: 4000 MiB
 *       blocks, 50,000 blocks; GCS: multiples of 256 KiB); a known size raises the part size so it fits the
 *       part count, and a stream of unknown length grows its parts as it goes
 *       ({@link PartSizing#growing}).</li>
 * </ol>
 *
 * <p>Parts in flight: the backend's own setting ({@code S3DLIO_AZURE_BLOCKS_IN_FLIGHT}), else
 * {@code S3DLIO_UPLOAD_CONCURRENCY} (default {@value #DEFAULT_UPLOAD_CONCURRENCY}), never above the service's
 * {@link UploadLimits#maxPartsInFlight()}. The S3 store also sizes its one budget of part buffers, shared by all
 * its uploads, by {@link #uploadConcurrency()} ({@link io.s3dlio.engine.upload.PartBufferPool#bounded}).
 */
public record UploadPolicy(TuningConfig config) {
    static final long MIB = 1024L * 1024;
    static final long SMALL_TIER = 16 * MIB;
    static final long MEDIUM_TIER = 32 * MIB;
    static final long LARGE_TIER = 64 * MIB;
    /** Parts in flight per upload when nothing says otherwise: enough to fill a 10 Gb/s link on S3. */
    public static final int DEFAULT_UPLOAD_CONCURRENCY = 8;

    public UploadPolicy {
        requireNonNull(config, "config is null");
    }

    /** The policy with default settings (10 Gb/s, 8 parts in flight). */
    public static UploadPolicy defaults() {
        return new UploadPolicy(TuningConfig.defaults());
    }

    /** Parts in flight per upload. */
    public int uploadConcurrency() {
        return config.uploadConcurrency().orElse(DEFAULT_UPLOAD_CONCURRENCY);
    }

    /** The link-speed tier (step 2 of the rule). */
    public long speedTier() {
        double gbps = config.networkSpeedGbps();
        if (gbps <= 10) {
            return SMALL_TIER;
        }
        return gbps <= 25 ? MEDIUM_TIER : LARGE_TIER;
    }

    /** The preferred part size before backend limits (steps 1-4 of the rule). */
    public long preferredPartSize(OptionalLong explicitPartSize, OptionalLong objectSize) {
        if (explicitPartSize.isPresent()) {
            return explicitPartSize.getAsLong();
        }
        if (config.partSize().isPresent()) {
            return config.partSize().getAsLong();
        }
        long size = speedTier();
        if (objectSize.isPresent()) {
            long total = objectSize.getAsLong();
            while (size > SMALL_TIER && total / size < uploadConcurrency()) {
                size /= 2;
            }
        }
        return Math.max(size, config.minPartSize().orElse(1));
    }

    /**
     * A backend's own upload settings, which rank below the caller's {@link WriteOptions} and above the
     * shared {@code S3DLIO_*} ones.
     *
     * @param partSize the backend's part size setting, if set
     * @param partsInFlight the backend's parts-in-flight setting, if set
     */
    public record BackendOverride(OptionalLong partSize, OptionalInt partsInFlight) {
        /** No backend setting: the shared rule decides. */
        public static final BackendOverride NONE = new BackendOverride(OptionalLong.empty(), OptionalInt.empty());

        public BackendOverride {
            requireNonNull(partSize, "partSize is null");
            requireNonNull(partsInFlight, "partsInFlight is null");
        }
    }

    /**
     * The whole rule for one upload: part sizing and parts in flight for these options, on a backend with
     * these limits and its own settings. Every backend's writer and single-request threshold come from here.
     */
    public UploadPlan plan(WriteOptions options, UploadLimits limits, BackendOverride override) {
        requireNonNull(options, "options is null");
        requireNonNull(limits, "limits is null");
        requireNonNull(override, "override is null");
        OptionalLong explicit = options.partSize().isPresent() ? options.partSize() : override.partSize();
        long preferred = preferredPartSize(explicit, options.expectedSize());
        int inFlight = Math.min(limits.maxPartsInFlight(), override.partsInFlight().orElse(uploadConcurrency()));
        return new UploadPlan(PartSizing.of(preferred, options.expectedSize(), limits), inFlight);
    }

    /** The part sizing of {@link #plan} without a backend override. */
    public PartSizing partSizing(WriteOptions options, UploadLimits limits) {
        return plan(options, limits, BackendOverride.NONE).sizing();
    }

    @Override
    public String toString() {
        return "UploadPolicy[speed " + config.networkSpeedGbps() + " Gb/s, tier " + (speedTier() / MIB) + " MiB, "
                + uploadConcurrency() + " parts in flight]";
    }
}
