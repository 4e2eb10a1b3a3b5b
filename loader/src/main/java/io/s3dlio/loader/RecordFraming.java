package io.s3dlio.loader;

/** What surrounds an item's bytes inside its range. */
public enum RecordFraming {
    /** The range is the item: delivered as read (an NPZ member's NPY bytes). */
    NONE,
    /**
     * A framed TFRecord record: both CRC-32Cs are checked (a mismatch fails the item naming the URI and offset)
     * and only the record's data is delivered, a view of the bytes read.
     */
    TFRECORD
}
