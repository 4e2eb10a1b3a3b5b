package io.s3dlio.format;

import java.io.IOException;

/** A TFRecord file is corrupt or truncated at {@link #offset()} (the start of the record). */
public final class TfRecordFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long offset;

    public TfRecordFormatException(String source, long offset, String problem) {
        super(source + ": corrupt TFRecord at offset " + offset + ": " + problem);
        this.source = source;
        this.offset = offset;
    }

    /** The file (its URI). */
    public String source() {
        return source;
    }

    /** Byte offset of the record's start. */
    public long offset() {
        return offset;
    }
}
