package io.s3dlio.api;

/**
 * Optional abilities of a store. Every {@link ObjectStore} method works on every store; a capability says
 * <em>how</em>: whether copy happens server-side, whether deletes are batched, and so on. Callers and tests
 * query {@link ObjectStore#capabilities()} instead of catching exceptions.
 */
public enum Capability {
    /** {@link ObjectStore#copy} runs inside the storage service; no bytes pass through this process. */
    SERVER_SIDE_COPY,
    /** {@link ObjectStore#deletePrefix} deletes many keys per request. */
    BULK_DELETE,
    /** Streaming writers upload in concurrent parts (multipart upload, staged blocks, resumable chunks). */
    MULTIPART_UPLOAD,
    /** Reads and writes bypass the page cache (O_DIRECT). */
    DIRECT_IO,
    /** {@link ObjectStore#rename} is a single atomic step (a file-system rename), not copy-then-delete. */
    ATOMIC_RENAME,
    /** Content type and user metadata given at write time are kept and returned by stat. */
    USER_METADATA,
    /** A key and a longer key below it ("a" and "a/b") can exist side by side; file systems cannot do this. */
    KEY_AND_PREFIX_COEXIST,
    /**
     * {@link ObjectStore#put} and writer {@code finish} honour {@link WriteOptions#condition()} (if-absent,
     * if-match ETag) atomically with the write; without it, a condition is refused, never ignored.
     */
    CONDITIONAL_WRITE,
    /**
     * {@link ObjectStore#stat} reports in {@link ObjectInfo#crc32c()} the CRC32C of the whole object wherever
     * the store keeps one, in one request that does not read the object, and likewise a full-object CRC32
     * ({@link ObjectInfo#crc32()}) or CRC64NVME ({@link ObjectInfo#crc64nvme()}) where the store keeps one of
     * those instead (S3: AWS keeps a CRC64NVME of every object uploaded since 2025 without a checksum of its
     * own). The range engine checks objects it reads as concurrent chunks against it (combining the chunks'
     * CRCs, CRC32C preferred, then CRC32, then CRC64NVME); see docs/RELIABILITY.md.
     */
    FULL_OBJECT_CRC32C,
    /**
     * {@link ObjectStore#stat} reports in {@link ObjectInfo#md5()} the MD5 of the whole object wherever the store
     * keeps one, and objects read in several pieces that have no full-object CRC32C are checked against it
     * with an MD5 of the pieces in offset order (S3: the ETag of a single-part object; on by default,
     * {@code S3DLIO_S3_VERIFY_CHUNKED_MD5}); see docs/RELIABILITY.md.
     */
    FULL_OBJECT_MD5
}
