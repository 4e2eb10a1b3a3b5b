package io.s3dlio.format;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Streams an NPZ file (what {@code numpy.savez} writes: a zip of {@code name.npy} members, stored, not
 * compressed) to any store, one array after another, in bounded memory (one chunk plus the central directory
 * entries, a few dozen bytes per array).
 *
 * <p>Each member's CRC-32 is known only after its payload has streamed past, and a store writer cannot seek
 * back, so members carry a data descriptor (general-purpose bit 3) after their bytes; readers that go through
 * the central directory (Python's zipfile and so NumPy, Java's ZipFile, unzip) read them, while
 * {@code java.util.zip.ZipInputStream} refuses stored members with descriptors. Zip64 records are written
 * when a member, an offset or the member count passes the classic zip limits. Offsets are the store writer's
 * own count of bytes accepted ({@link ObjectWriter#bytesWritten()}), not a second count kept here.
 *
 * <p>Lifecycle as {@link ObjectWriter}: {@link #add} any number of times, then {@link #finish}; {@link #close()}
 * without finish leaves nothing behind.
 */
public final class NpzWriter implements AutoCloseable {
    private static final long MAX32 = 0xFFFFFFFFL;
    private static final int DOS_DATE_1980_01_01 = (1 << 5) | 1;
    private static final int FLAG_DESCRIPTOR_UTF8 = 0x0008 | 0x0800;

    private record Member(byte[] name, long crc, long size, long offset, boolean zip64) {
    }

    private final ObjectWriter out;
    private final Location location;
    private final boolean forceZip64;
    private final List<Member> members = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private ByteBuffer chunk;

    private NpzWriter(ObjectWriter out, Location location, boolean forceZip64) {
        this.out = out;
        this.location = location;
        this.forceZip64 = forceZip64;
    }

    /** Opens a writer; no request is sent until data is. */
    public static NpzWriter open(ObjectStore store, Location location, WriteOptions options) throws IOException {
        return open(store, location, options, false);
    }

    /** As {@link #open(ObjectStore, Location, WriteOptions)}; {@code forceZip64} writes zip64 records even when small (tests). */
    static NpzWriter open(ObjectStore store, Location location, WriteOptions options, boolean forceZip64) throws IOException {
        requireNonNull(store, "store is null");
        requireNonNull(location, "location is null");
        requireNonNull(options, "options is null");
        return new NpzWriter(store.newWriter(location, options), location, forceZip64);
    }

    /** Writes a whole NPZ of {@code arrays}, each filled from {@code content} in turn. */
    public static WriteResult write(ObjectStore store, Location location, List<ArraySpec> arrays, ContentSource content,
            WriteOptions options) throws IOException {
        long expected = 22;
        for (ArraySpec spec : arrays) {
            expected += Npy.fileSize(spec) + 2L * spec.name().length() + 46 + 30 + 24 + 20;
        }
        try (NpzWriter writer = open(store, location, options.withExpectedSizeIfAbsent(expected))) {
            for (ArraySpec spec : arrays) {
                writer.add(spec, content);
            }
            return writer.finish();
        }
    }

    /**
     * Appends member {@code spec.name() + ".npy"} with {@code spec.byteSize()} payload bytes from {@code content}.
     *
     * @throws IllegalArgumentException when an array of that name was already added
     */
    public void add(ArraySpec spec, ContentSource content) throws IOException {
        requireNonNull(spec, "spec is null");
        requireNonNull(content, "content is null");
        if (!names.add(spec.name())) {
            throw new IllegalArgumentException(location + ": NPZ array '" + spec.name() + "' added twice");
        }
        byte[] name = (spec.name() + ".npy").getBytes(StandardCharsets.UTF_8);
        ByteBuffer header = Npy.header(spec);
        long size = header.remaining() + spec.byteSize();
        long offset = out.bytesWritten();
        boolean zip64 = forceZip64 || size >= MAX32 || offset >= MAX32;
        ByteBuffer local = ByteBuffer.allocate(30 + name.length + (zip64 ? 20 : 0)).order(ByteOrder.LITTLE_ENDIAN);
        local.putInt(0x04034b50).putShort((short) (zip64 ? 45 : 20)).putShort((short) FLAG_DESCRIPTOR_UTF8)
                .putShort((short) 0).putShort((short) 0).putShort((short) DOS_DATE_1980_01_01)
                .putInt(0).putInt(zip64 ? -1 : 0).putInt(zip64 ? -1 : 0)
                .putShort((short) name.length).putShort((short) (zip64 ? 20 : 0)).put(name);
        if (zip64) {
            local.putShort((short) 1).putShort((short) 16).putLong(0).putLong(0);
        }
        out.write(local.flip());
        CRC32 crc = new CRC32();
        crc.update(header.duplicate());
        out.write(header);
        if (chunk == null) {
            chunk = Streams.newChunk(Streams.CHUNK);
        }
        Streams.copy(content, spec.byteSize(), out, chunk, crc);
        ByteBuffer descriptor = ByteBuffer.allocate(zip64 ? 24 : 16).order(ByteOrder.LITTLE_ENDIAN);
        descriptor.putInt(0x08074b50).putInt((int) crc.getValue());
        if (zip64) {
            descriptor.putLong(size).putLong(size);
        } else {
            descriptor.putInt((int) size).putInt((int) size);
        }
        out.write(descriptor.flip());
        members.add(new Member(name, crc.getValue(), size, offset, zip64));
    }

    /** Writes the central directory and completes the object. */
    public WriteResult finish() throws IOException {
        long directoryStart = out.bytesWritten();
        for (Member member : members) {
            ByteBuffer entry = ByteBuffer.allocate(46 + member.name.length + (member.zip64 ? 28 : 0))
                    .order(ByteOrder.LITTLE_ENDIAN);
            entry.putInt(0x02014b50).putShort((short) 45).putShort((short) (member.zip64 ? 45 : 20))
                    .putShort((short) FLAG_DESCRIPTOR_UTF8).putShort((short) 0).putShort((short) 0)
                    .putShort((short) DOS_DATE_1980_01_01).putInt((int) member.crc)
                    .putInt(member.zip64 ? -1 : (int) member.size).putInt(member.zip64 ? -1 : (int) member.size)
                    .putShort((short) member.name.length).putShort((short) (member.zip64 ? 28 : 0))
                    .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0)
                    .putInt(member.zip64 ? -1 : (int) member.offset).put(member.name);
            if (member.zip64) {
                entry.putShort((short) 1).putShort((short) 24).putLong(member.size).putLong(member.size)
                        .putLong(member.offset);
            }
            out.write(entry.flip());
        }
        long directorySize = out.bytesWritten() - directoryStart;
        boolean zip64 = forceZip64 || members.size() >= 0xFFFF || directoryStart >= MAX32 || directorySize >= MAX32;
        if (zip64) {
            long recordStart = out.bytesWritten();
            ByteBuffer record = ByteBuffer.allocate(56 + 20).order(ByteOrder.LITTLE_ENDIAN);
            record.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                    .putLong(members.size()).putLong(members.size()).putLong(directorySize).putLong(directoryStart);
            record.putInt(0x07064b50).putInt(0).putLong(recordStart).putInt(1);
            out.write(record.flip());
        }
        ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        int count = Math.min(members.size(), 0xFFFF);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) count).putShort((short) count)
                .putInt((int) Math.min(directorySize, MAX32)).putInt(zip64 ? -1 : (int) directoryStart).putShort((short) 0);
        out.write(end.flip());
        return out.finish();
    }

    /** Aborts unless {@link #finish} succeeded. Idempotent. */
    @Override
    public void close() throws IOException {
        out.close();
    }
}
