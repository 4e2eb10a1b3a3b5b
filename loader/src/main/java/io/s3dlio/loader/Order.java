package io.s3dlio.loader;

/** The order items are delivered in within an epoch. */
public enum Order {
    /** Dataset order, every epoch. */
    SEQUENTIAL,
    /**
     * A pseudo-random permutation derived from the seed and the epoch number: the same seed and epoch give the
     * same order on every rank and every run; each epoch gets a different order.
     */
    SHUFFLED
}
