package io.s3dlio.format;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's NPY format (version 1.0, or 2.0 when the header needs more than 64 KiB): a magic string, a Python
 * dict literal naming {@code descr}, {@code fortran_order} and {@code shape}, padded so that the payload starts
 * on a 64-byte boundary, then the payload in C order.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** The header bytes (magic, version, length, padded dict) for {@code spec}; the payload follows them. */
    public static ByteBuffer header(ArraySpec spec) {
        requireNonNull(spec, "spec is null");
        StringBuilder dict = new StringBuilder("{'descr': '").append(spec.dtype().descr())
                .append("', 'fortran_order': False, 'shape': (");
        List<Long> shape = spec.shape();
        for (int i = 0; i < shape.size(); i++) {
            dict.append(shape.get(i)).append(i == 0 && shape.size() == 1 ? "," : i < shape.size() - 1 ? ", " : "");
        }
        dict.append("), }");
        int version = 1;
        int prefix = MAGIC.length + 2 + 2;
        int total = pad(prefix + dict.length() + 1);
        if (total - prefix > 0xFFFF) {
            version = 2;
            prefix = MAGIC.length + 2 + 4;
            total = pad(prefix + dict.length() + 1);
        }
        while (prefix + dict.length() + 1 < total) {
            dict.append(' ');
        }
        dict.append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) version).put((byte) 0);
        if (version == 1) {
            out.putShort((short) text.length);
        } else {
            out.putInt(text.length);
        }
        out.put(text).flip();
        return out;
    }

    private static int pad(int length) {
        return (length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** Header plus payload size of the NPY file for {@code spec}. */
    public static long fileSize(ArraySpec spec) {
        return header(spec).remaining() + spec.byteSize();
    }

    /**
     * Writes one NPY file, streaming the payload from {@code content} (memory: one 1 MiB chunk plus the store
     * writer's parts). Nothing is visible under {@code location} unless every byte was written.
     */
    public static WriteResult write(ObjectStore store, Location location, ArraySpec spec, ContentSource content,
            WriteOptions options) throws IOException {
        requireNonNull(store, "store is null");
        requireNonNull(content, "content is null");
        ByteBuffer header = header(spec);
        long size = header.remaining() + spec.byteSize();
        try (ObjectWriter writer = store.newWriter(location, options.withExpectedSizeIfAbsent(size))) {
            writer.write(header);
            Streams.copy(content, spec.byteSize(), writer, Streams.newChunk(spec.byteSize()));
            return writer.finish();
        }
    }

    /**
     * Parses an NPY file held in {@code bytes}: the payload is a view of those bytes (no copy).
     *
     * @param source names the file in errors (a URI, or URI plus member)
     * @throws IOException naming {@code source} when the bytes are not a supported NPY file
     */
    public static NpyArray parse(ObjectBytes bytes, String name, String source) throws IOException {
        requireNonNull(bytes, "bytes is null");
        if (bytes.size() < MAGIC.length + 4) {
            throw new IOException(source + ": not an NPY file (" + bytes.size() + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes.byteAt(i) != MAGIC[i]) {
                throw new IOException(source + ": not an NPY file (bad magic)");
            }
        }
        int major = bytes.byteAt(6);
        ByteBuffer buffer = bytes.buffer().order(ByteOrder.LITTLE_ENDIAN);
        long headerLength;
        int prefix;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(buffer.getShort(8));
            prefix = 10;
        } else if (major == 2 || major == 3) {
            headerLength = Integer.toUnsignedLong(buffer.getInt(8));
            prefix = 12;
        } else {
            throw new IOException(source + ": unsupported NPY version " + major);
        }
        if (prefix + headerLength > bytes.size()) {
            throw new IOException(source + ": NPY header of " + headerLength + " bytes runs past the end (" + bytes.size() + " bytes)");
        }
        String header = StandardCharsets.ISO_8859_1.decode(bytes.slice(prefix, (int) headerLength).buffer()).toString();
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeText = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeText.find()) {
            throw new IOException(source + ": NPY header lacks descr, fortran_order or shape: " + header.strip());
        }
        DType dtype;
        try {
            dtype = DType.parse(descr.group(1));
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        List<Long> shape = new ArrayList<>();
        for (String part : shapeText.group(1).split(",")) {
            if (!part.isBlank()) {
                try {
                    shape.add(Long.parseLong(part.strip().replace("L", "")));
                } catch (NumberFormatException e) {
                    throw new IOException(source + ": bad NPY shape (" + shapeText.group(1) + ")", e);
                }
            }
        }
        ArraySpec spec = new ArraySpec(name.isEmpty() ? "array" : name, dtype, shape);
        long start = prefix + headerLength;
        if (start + spec.byteSize() > bytes.size()) {
            throw new IOException(source + ": NPY payload of " + spec.byteSize() + " bytes (" + dtype.numpyName() + " " + shape
                    + ") runs past the end (" + (bytes.size() - start) + " bytes after the header)");
        }
        return new NpyArray(name, dtype, shape, fortran.group(1).equals("True"),
                bytes.slice((int) start, (int) spec.byteSize()));
    }

    /** Reads and parses one NPY object (one whole-object read). */
    public static NpyArray read(ObjectStore store, Location location) throws IOException {
        return parse(store.get(location), "", location.toString());
    }
}
