package io.s3dlio.format;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The layout of one dataset file as storage benchmarks (DLIO, MLPerf Storage) describe it: a format, a number of
 * samples and the bytes of each sample, with an element type for the array formats.
 *
 * <ul>
 *   <li>RAW: the samples back to back.</li>
 *   <li>NPY: one array of shape {@code (samples, sampleBytes / itemSize)} (1-D when there is one sample).</li>
 *   <li>NPZ: array {@code x} as for NPY plus labels {@code y}, int64 of shape {@code (samples,)}, as DLIO's
 *       NPZ generator writes.</li>
 *   <li>TFRECORD: one record per sample.</li>
 *   <li>HDF5: dataset {@code records} as for NPY (2-D even for one sample).</li>
 * </ul>
 */
public record SampleFileSpec(FileFormat format, DType dtype, long samples, long sampleBytes) {
    public SampleFileSpec {
        requireNonNull(format, "format is null");
        requireNonNull(dtype, "dtype is null");
        if (samples < 0 || sampleBytes < 0) {
            throw new IllegalArgumentException("negative samples or sample size: " + samples + ", " + sampleBytes);
        }
        if (format != FileFormat.RAW && format != FileFormat.TFRECORD && sampleBytes % dtype.itemSize() != 0) {
            throw new IllegalArgumentException("sample size " + sampleBytes + " is not a whole number of " + dtype.numpyName()
                    + " elements (" + dtype.itemSize() + " bytes each)");
        }
    }

    /** Payload bytes (without format overhead). */
    public long payloadBytes() {
        return Math.multiplyExact(samples, sampleBytes);
    }

    /** The arrays an NPY/NPZ/HDF5 file of this spec holds (empty for RAW and TFRECORD). */
    public List<ArraySpec> arrays() {
        long elements = sampleBytes / dtype.itemSize();
        return switch (format) {
            case RAW, TFRECORD -> List.of();
            case NPY -> List.of(new ArraySpec("x", dtype, samples == 1 ? List.of(elements) : List.of(samples, elements)));
            case NPZ -> List.of(new ArraySpec("x", dtype, samples == 1 ? List.of(elements) : List.of(samples, elements)),
                    new ArraySpec("y", DType.INT64, List.of(samples)));
            case HDF5 -> List.of(new ArraySpec("records", dtype, List.of(samples, elements)));
        };
    }
}
