package io.s3dlio.format;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads NPZ files: the member table from the zip's central directory (zip64 included), and each member's array
 * as a view of the bytes read (no copy). Only stored (uncompressed) members can be viewed in place; a
 * compressed member ({@code numpy.savez_compressed}) is refused with an error naming it.
 */
public final class Npz {
    /** Bytes read from the end to find the end-of-central-directory records (they fit unless a long comment follows). */
    private static final int TAIL = 64 * 1024 + 22 + 20 + 56;

    private Npz() {
    }

    /** Reads byte ranges of one file: a whole buffer in memory, or range reads of a stored object. */
    private interface Ranges {
        ObjectBytes read(long offset, int length) throws IOException;
    }

    /** Every array of an NPZ file held in {@code bytes}, by name, in file order; payloads are views of those bytes. */
    public static Map<String, NpyArray> parse(ObjectBytes bytes, String source) throws IOException {
        requireNonNull(bytes, "bytes is null");
        Ranges ranges = (offset, length) -> {
            if (offset < 0 || offset + length > bytes.size()) {
                throw new IOException(source + ": NPZ structure points outside the file (offset " + offset + ", "
                        + length + " bytes, file " + bytes.size() + " bytes)");
            }
            return bytes.slice((int) offset, length);
        };
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        for (NpzMember member : members(ranges, bytes.size(), source)) {
            ObjectBytes npy = ranges.read(member.offset(), Math.toIntExact(member.size()));
            arrays.put(member.name(), Npy.parse(npy, member.name(), source + "#" + member.name()));
        }
        return arrays;
    }

    /** Reads a whole NPZ object (one read) and parses it. */
    public static Map<String, NpyArray> read(ObjectStore store, Location location) throws IOException {
        return parse(store.get(location), location.toString());
    }

    /**
     * The members of a stored NPZ file without reading their payloads: a range read of the tail, of the central
     * directory when the tail does not hold it, and of each member's local header (its variable-length fields
     * decide where the data starts).
     */
    public static List<NpzMember> members(ObjectStore store, Location location) throws IOException {
        requireNonNull(store, "store is null");
        long size = store.stat(location).size();
        Ranges ranges = (offset, length) -> {
            ObjectBytes bytes = store.getRange(location, offset, OptionalLong.of(length));
            if (bytes.size() != length) {
                throw new IOException(location + ": NPZ truncated: " + length + " bytes at offset " + offset + " asked, "
                        + bytes.size() + " read");
            }
            return bytes;
        };
        return members(ranges, size, location.toString());
    }

    /** Reads array {@code name} of a stored NPZ file with range reads (tail, directory, the member): not the whole file. */
    public static NpyArray readArray(ObjectStore store, Location location, String name) throws IOException {
        for (NpzMember member : members(store, location)) {
            if (member.name().equals(name)) {
                ObjectBytes npy = store.getRange(location, member.offset(), OptionalLong.of(member.size()));
                return Npy.parse(npy, name, location + "#" + name);
            }
        }
        throw new IOException(location + ": NPZ has no array '" + name + "'");
    }

    private static List<NpzMember> members(Ranges ranges, long fileSize, String source) throws IOException {
        int tailLength = (int) Math.min(fileSize, TAIL);
        ObjectBytes tail = ranges.read(fileSize - tailLength, tailLength);
        ByteBuffer t = tail.buffer().order(ByteOrder.LITTLE_ENDIAN);
        int end = -1;
        for (int i = tailLength - 22; i >= 0; i--) {
            if (t.getInt(i) == 0x06054b50) {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw new IOException(source + ": not an NPZ/zip file (no end of central directory record)");
        }
        long count = Short.toUnsignedInt(t.getShort(end + 10));
        long directorySize = Integer.toUnsignedLong(t.getInt(end + 12));
        long directoryStart = Integer.toUnsignedLong(t.getInt(end + 16));
        if (end >= 20 && t.getInt(end - 20) == 0x07064b50) {
            long recordOffset = t.getLong(end - 20 + 8);
            ByteBuffer record = ranges.read(recordOffset, 56).buffer().order(ByteOrder.LITTLE_ENDIAN);
            if (record.getInt(0) != 0x06064b50) {
                throw new IOException(source + ": bad zip64 end of central directory record at offset " + recordOffset);
            }
            count = record.getLong(32);
            directorySize = record.getLong(40);
            directoryStart = record.getLong(48);
        }
        ByteBuffer directory = ranges.read(directoryStart, Math.toIntExact(directorySize)).buffer().order(ByteOrder.LITTLE_ENDIAN);
        List<NpzMember> members = new ArrayList<>();
        int p = 0;
        for (long i = 0; i < count; i++) {
            if (p + 46 > directory.limit() || directory.getInt(p) != 0x02014b50) {
                throw new IOException(source + ": bad central directory entry " + i + " at offset " + (directoryStart + p));
            }
            int method = Short.toUnsignedInt(directory.getShort(p + 10));
            long compressed = Integer.toUnsignedLong(directory.getInt(p + 20));
            long uncompressed = Integer.toUnsignedLong(directory.getInt(p + 24));
            int nameLength = Short.toUnsignedInt(directory.getShort(p + 28));
            int extraLength = Short.toUnsignedInt(directory.getShort(p + 30));
            int commentLength = Short.toUnsignedInt(directory.getShort(p + 32));
            long localOffset = Integer.toUnsignedLong(directory.getInt(p + 42));
            byte[] nameBytes = new byte[nameLength];
            directory.get(p + 46, nameBytes);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            // Zip64 extra: only the fields whose classic value is 0xFFFFFFFF are present, in this order.
            int x = p + 46 + nameLength;
            int extraEnd = x + extraLength;
            while (x + 4 <= extraEnd) {
                int id = Short.toUnsignedInt(directory.getShort(x));
                int length = Short.toUnsignedInt(directory.getShort(x + 2));
                if (id == 1) {
                    int f = x + 4;
                    if (uncompressed == 0xFFFFFFFFL) {
                        uncompressed = directory.getLong(f);
                        f += 8;
                    }
                    if (compressed == 0xFFFFFFFFL) {
                        compressed = directory.getLong(f);
                        f += 8;
                    }
                    if (localOffset == 0xFFFFFFFFL) {
                        localOffset = directory.getLong(f);
                    }
                }
                x += 4 + length;
            }
            p = extraEnd + commentLength;
            if (method != 0) {
                throw new IOException(source + ": NPZ member " + name + " is compressed (method " + method
                        + "); only stored members (numpy.savez) can be read in place");
            }
            ByteBuffer local = ranges.read(localOffset, 30).buffer().order(ByteOrder.LITTLE_ENDIAN);
            if (local.getInt(0) != 0x04034b50) {
                throw new IOException(source + ": bad local header of member " + name + " at offset " + localOffset);
            }
            long dataOffset = localOffset + 30 + Short.toUnsignedInt(local.getShort(26)) + Short.toUnsignedInt(local.getShort(28));
            String arrayName = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
            members.add(new NpzMember(arrayName, dataOffset, compressed));
        }
        return members;
    }
}
