package io.s3dlio.loader;

/** What a failed item (missing object, read error, timeout) does to the epoch. */
public enum ErrorPolicy {
    /**
     * The batch holding the item fails: the iterator throws a {@link DataLoaderException} naming the URI when
     * the consumer reaches that batch, and no further fetches are started.
     */
    FAIL_FAST,
    /**
     * The item is left out of its batch (which is then smaller) and reported in
     * {@link LoaderEpoch#skipped()}; a batch whose items all failed is not delivered.
     */
    SKIP_AND_REPORT
}
