package io.s3dlio.python;

import static java.util.Objects.requireNonNull;

import io.s3dlio.format.TfRecordIndex;

/**
 * A TFRecord index for Python: the entries as one flat array ({@code offset0, size0, offset1, size1, ...}, one
 * bridge call for any number of records) and the same index in DALI's text format.
 */
public final class TfRecordIndexEntries {
    private final long[] flat;
    private final String text;

    TfRecordIndexEntries(TfRecordIndex index) {
        requireNonNull(index, "index is null");
        this.flat = new long[index.size() * 2];
        int i = 0;
        for (TfRecordIndex.Entry entry : index.entries()) {
            flat[i++] = entry.offset();
            flat[i++] = entry.size();
        }
        this.text = index.toText();
    }

    /** {@code offset, size} of each record, flattened. */
    public long[] flat() {
        return flat.clone();
    }

    /** The index in DALI's text format. */
    public String text() {
        return text;
    }
}
