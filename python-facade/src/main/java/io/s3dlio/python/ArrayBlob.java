package io.s3dlio.python;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ObjectBytes;
import io.s3dlio.format.NpyArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Arrays read from an NPY file or NPZ members, for Python: the payloads as one {@link Blob} (copied once into
 * Python memory, where NumPy views them without another copy) and, per array, its name, NPY {@code descr}
 * (e.g. {@code <f4}), shape and order.
 */
public final class ArrayBlob {
    private final Blob blob;
    private final String[] names;
    private final String[] descrs;
    private final long[][] shapes;
    private final boolean[] fortranOrders;

    ArrayBlob(String uri, List<NpyArray> arrays) {
        requireNonNull(arrays, "arrays is null");
        List<String> labels = new ArrayList<>(arrays.size());
        List<ObjectBytes> payloads = new ArrayList<>(arrays.size());
        this.names = new String[arrays.size()];
        this.descrs = new String[arrays.size()];
        this.shapes = new long[arrays.size()][];
        this.fortranOrders = new boolean[arrays.size()];
        for (int i = 0; i < arrays.size(); i++) {
            NpyArray array = arrays.get(i);
            labels.add(array.name().isEmpty() ? uri : uri + "#" + array.name());
            payloads.add(array.data());
            names[i] = array.name();
            descrs[i] = array.dtype().descr();
            shapes[i] = array.shape().stream().mapToLong(Long::longValue).toArray();
            fortranOrders[i] = array.fortranOrder();
        }
        this.blob = new Blob(labels, payloads);
    }

    /** The payloads, back to back in array order. */
    public Blob blob() {
        return blob;
    }

    /** Array names (member names without {@code .npy}; empty for a lone NPY file). */
    public String[] names() {
        return names.clone();
    }

    /** Each array's NPY {@code descr}, which {@code numpy.dtype} takes as it is. */
    public String[] descrs() {
        return descrs.clone();
    }

    /** Each array's shape. */
    public long[][] shapes() {
        long[][] copy = new long[shapes.length][];
        for (int i = 0; i < shapes.length; i++) {
            copy[i] = shapes[i].clone();
        }
        return copy;
    }

    /** Whether each array's payload is in Fortran (column-major) order. */
    public boolean[] fortranOrders() {
        return fortranOrders.clone();
    }
}
