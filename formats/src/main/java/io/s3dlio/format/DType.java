package io.s3dlio.format;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * An element type, as NumPy names it. Multi-byte types are little-endian, which is what NumPy writes on every
 * common machine and what {@link #descr()} declares in an NPY header.
 */
public enum DType {
    INT8("|i1", 1), UINT8("|u1", 1), INT16("<i2", 2), UINT16("<u2", 2), INT32("<i4", 4), UINT32("<u4", 4),
    INT64("<i8", 8), UINT64("<u8", 8), FLOAT16("<f2", 2), FLOAT32("<f4", 4), FLOAT64("<f8", 8);

    private final String descr;
    private final int itemSize;

    DType(String descr, int itemSize) {
        this.descr = descr;
        this.itemSize = itemSize;
    }

    /** The NPY header's {@code descr}, e.g. {@code <f4}. */
    public String descr() {
        return descr;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** The NumPy name, e.g. {@code float32}. */
    public String numpyName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a NumPy name ({@code uint8}, {@code float32}) or an NPY descr ({@code <f4}, {@code |u1}, {@code f4}).
     *
     * @throws IllegalArgumentException naming the text and the accepted names
     */
    public static DType parse(String text) {
        requireNonNull(text, "text is null");
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (DType type : values()) {
            if (type.numpyName().equals(t) || type.descr.equals(t) || type.descr.substring(1).equals(t)
                    || (type.itemSize == 1 && ("=" + type.descr.substring(1)).equals(t))) {
                return type;
            }
        }
        if (t.equals("byte")) {
            return INT8;
        }
        if (t.equals("float")) {
            return FLOAT64;
        }
        throw new IllegalArgumentException("unknown dtype '" + text + "' (big-endian types are not supported); expected one of"
                + " int8 uint8 int16 uint16 int32 uint32 int64 uint64 float16 float32 float64");
    }
}
