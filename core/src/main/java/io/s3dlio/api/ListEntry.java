package io.s3dlio.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/** One entry of a listing: an object, or (in a one-level listing) a common prefix. */
public sealed interface ListEntry permits ListEntry.ObjectEntry, ListEntry.PrefixEntry {

    Location location();

    /**
     * An object found by a listing. The size comes from the listing itself, so a caller that keeps it never
     * needs a HEAD later.
     */
    record ObjectEntry(Location location, long size, Optional<Instant> lastModified, Optional<String> etag)
            implements ListEntry {
        public ObjectEntry {
            requireNonNull(location, "location is null");
            requireNonNull(lastModified, "lastModified is null");
            requireNonNull(etag, "etag is null");
            if (size < 0) {
                throw new IllegalArgumentException("size is negative: " + size);
            }
        }
    }

    /** A common prefix of a one-level listing; its key always ends with '/'. */
    record PrefixEntry(Location location) implements ListEntry {
        public PrefixEntry {
            requireNonNull(location, "location is null");
            if (!location.key().endsWith("/")) {
                throw new IllegalArgumentException("a prefix entry must end with '/': " + location);
            }
        }
    }
}
