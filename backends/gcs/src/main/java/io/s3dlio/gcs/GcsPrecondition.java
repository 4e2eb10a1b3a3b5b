package io.s3dlio.gcs;

import static java.util.Objects.requireNonNull;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import io.s3dlio.api.Location;
import io.s3dlio.api.PreconditionFailedException;
import io.s3dlio.api.WriteCondition;
import io.s3dlio.spi.ETags;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A {@link WriteCondition} as GCS request preconditions, which the service checks atomically with creating the
 * object. {@code IF_ABSENT} is {@code ifGenerationMatch=0} (no live object). GCS has no ETag precondition on
 * uploads, so {@code IF_MATCH} is resolved first: one metadata request reads the object's ETag, generation and
 * metageneration; the write then carries {@code ifGenerationMatch} and {@code ifMetagenerationMatch} of what was
 * read. A GCS ETag is a function of those two numbers, so the write succeeds exactly when the object still has
 * the ETag asked for; if the ETag already differs (or the object is gone) nothing is sent.
 *
 * @param condition the condition this stands for (for messages)
 * @param generation the {@code ifGenerationMatch} value, when there is one
 * @param metageneration the {@code ifMetagenerationMatch} value, when there is one
 */
record GcsPrecondition(WriteCondition condition, OptionalLong generation, OptionalLong metageneration) {
    static final GcsPrecondition NONE = new GcsPrecondition(WriteCondition.NONE, OptionalLong.empty(), OptionalLong.empty());

    GcsPrecondition {
        requireNonNull(condition, "condition is null");
        requireNonNull(generation, "generation is null");
        requireNonNull(metageneration, "metageneration is null");
    }

    /**
     * The preconditions for writing {@code id} under {@code condition}; for {@code IF_MATCH} this reads the object's
     * metadata once.
     *
     * @throws PreconditionFailedException when {@code IF_MATCH} already fails (absent, or another ETag)
     */
    static GcsPrecondition resolve(Storage storage, Location location, BlobId id, WriteCondition condition)
            throws IOException {
        return switch (condition.kind()) {
            case NONE -> NONE;
            case IF_ABSENT -> new GcsPrecondition(condition, OptionalLong.of(0), OptionalLong.empty());
            case IF_MATCH -> {
                Blob blob;
                try {
                    blob = storage.get(id);
                } catch (RuntimeException e) {
                    throw GcsErrors.translate(location, "reading the generation for a conditional write", e);
                }
                Optional<String> wanted = ETags.unquote(condition.etag().orElseThrow());
                if (blob == null || blob.getGeneration() == null || blob.getMetageneration() == null
                        || !ETags.unquote(blob.getEtag()).equals(wanted)) {
                    throw new PreconditionFailedException(location, condition, null);
                }
                yield matching(condition, blob.getGeneration(), blob.getMetageneration());
            }
        };
    }

    /** {@code IF_MATCH} of an object read as {@code generation}/{@code metageneration}. */
    static GcsPrecondition matching(WriteCondition condition, long generation, long metageneration) {
        return new GcsPrecondition(condition, OptionalLong.of(generation), OptionalLong.of(metageneration));
    }

    /** The options of a one-request upload ({@code storage.create}). */
    Storage.BlobTargetOption[] targetOptions() {
        List<Storage.BlobTargetOption> options = new ArrayList<>(2);
        generation.ifPresent(value -> options.add(Storage.BlobTargetOption.generationMatch(value)));
        metageneration.ifPresent(value -> options.add(Storage.BlobTargetOption.metagenerationMatch(value)));
        return options.toArray(Storage.BlobTargetOption[]::new);
    }

    /** The options of a resumable upload session ({@code storage.writer}). */
    Storage.BlobWriteOption[] writeOptions() {
        List<Storage.BlobWriteOption> options = new ArrayList<>(2);
        generation.ifPresent(value -> options.add(Storage.BlobWriteOption.generationMatch(value)));
        metageneration.ifPresent(value -> options.add(Storage.BlobWriteOption.metagenerationMatch(value)));
        return options.toArray(Storage.BlobWriteOption[]::new);
    }

    /**
     * A client failure of a write under this precondition: HTTP 412 (and, for {@code IF_MATCH}, 404: the object
     * went away) mean "not written" and become {@link PreconditionFailedException}; anything else is translated as
     * usual.
     */
    IOException translate(Location location, String operation, Throwable failure) {
        int status = GcsErrors.statusCode(failure);
        if (!condition.isNone() && (status == 412 || (status == 404 && condition.kind() == WriteCondition.Kind.IF_MATCH))) {
            return new PreconditionFailedException(location, condition, failure);
        }
        return GcsErrors.translate(location, operation, failure);
    }
}
