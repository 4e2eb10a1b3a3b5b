package io.s3dlio.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A precondition on a write, checked by the store atomically with making the object visible: the write
 * happens only if the condition holds at that moment, otherwise it fails with
 * {@link PreconditionFailedException} and the object is left as it was. Honoured by stores with
 * {@link Capability#CONDITIONAL_WRITE}; the others refuse any condition but {@link #NONE} with
 * {@link IllegalArgumentException} rather than ignore it.
 *
 * <p>On S3 these are the {@code If-None-Match: *} and {@code If-Match} headers, on Azure the ETag request
 * conditions; on file:// a lock plus a check before the rename (cross-process, but only against other
 * conditional writers); in memory a check under the bucket's lock.
 *
 * @param kind what is required of the object already stored under the name
 * @param etag for {@link Kind#IF_MATCH}, the ETag the stored object must have (as {@link ObjectInfo#etag()}
 *        and {@link WriteResult#etag()} report it, without quotes); empty otherwise
 */
public record WriteCondition(Kind kind, Optional<String> etag) {

    /** What a condition requires. */
    public enum Kind {
        /** No condition: the last writer wins. */
        NONE,
        /** The write happens only if no object exists under the name ({@code If-None-Match: *}). */
        IF_ABSENT,
        /** The write happens only if the stored object has the given ETag ({@code If-Match}). */
        IF_MATCH
    }

    public static final WriteCondition NONE = new WriteCondition(Kind.NONE, Optional.empty());
    public static final WriteCondition IF_ABSENT = new WriteCondition(Kind.IF_ABSENT, Optional.empty());

    public WriteCondition {
        requireNonNull(kind, "kind is null");
        requireNonNull(etag, "etag is null");
        if ((kind == Kind.IF_MATCH) != etag.isPresent()) {
            throw new IllegalArgumentException(kind == Kind.IF_MATCH ? "IF_MATCH needs an etag"
                    : kind + " takes no etag");
        }
        if (etag.isPresent() && (etag.get().isBlank() || etag.get().equals("*"))) {
            throw new IllegalArgumentException("IF_MATCH needs a real etag, not '" + etag.get() + "'");
        }
    }

    /** The write happens only if the stored object's ETag is {@code etag}. */
    public static WriteCondition ifMatch(String etag) {
        return new WriteCondition(Kind.IF_MATCH, Optional.of(requireNonNull(etag, "etag is null")));
    }

    /** Whether this is {@link #NONE}. */
    public boolean isNone() {
        return kind == Kind.NONE;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "no condition";
            case IF_ABSENT -> "if absent";
            case IF_MATCH -> "if etag is " + etag.orElseThrow();
        };
    }
}
