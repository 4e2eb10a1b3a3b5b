package io.s3dlio.loader;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.format.Npz;
import io.s3dlio.format.NpzMember;
import io.s3dlio.format.TfRecordIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Datasets whose items are records inside files rather than whole objects: the records of TFRecord files and
 * the arrays of NPZ files. Each item is read with one range request (see {@link ItemRange}), so no whole file is
 * fetched to get one record; shuffling, sharding, batching and drop-last apply to records exactly as they do to
 * objects, because records are simply the dataset's entries.
 */
public final class RecordDatasets {
    /** The suffix of a TFRecord file's DALI index ({@code train-0001.tfrecord.idx}). */
    public static final String INDEX_SUFFIX = ".idx";

    private RecordDatasets() {
    }

    /**
     * Every record of every TFRecord file in {@code files}, file by file in record order. Each file's records are
     * located through its DALI index {@code FILE.idx} when there is one (listed in {@code files}, or found with
     * one existence check), otherwise by scanning the file's headers with range reads
     * ({@link TfRecordIndex#build}). Entries of {@code files} that are index files are not records sources.
     * Items deliver the record's data (CRC-32Cs checked).
     *
     * @throws IOException naming the file whose index is unreadable, does not fit the file, or whose scan fails
     */
    public static Dataset tfRecords(ObjectStore store, Dataset files) throws IOException {
        requireNonNull(store, "store is null");
        requireNonNull(files, "files is null");
        Set<String> listed = new HashSet<>();
        for (DatasetEntry entry : files.entries()) {
            listed.add(entry.location().toString());
        }
        List<DatasetEntry> records = new ArrayList<>();
        for (DatasetEntry file : files.entries()) {
            Location location = file.location();
            if (location.key().endsWith(INDEX_SUFFIX)) {
                continue;
            }
            TfRecordIndex index = index(store, location, listed);
            long end = 0;
            for (TfRecordIndex.Entry record : index.entries()) {
                records.add(DatasetEntry.ofRange(location, new ItemRange(record.offset(), record.size(), RecordFraming.TFRECORD)));
                end = Math.max(end, record.offset() + record.size());
            }
            if (file.size().isPresent() && end > file.size().getAsLong()) {
                throw new IOException(TfRecordIndex.defaultLocation(location) + ": the index reaches byte " + end + " but "
                        + location + " has " + file.size().getAsLong() + " bytes (stale index?)");
            }
        }
        return Dataset.of(records);
    }

    private static TfRecordIndex index(ObjectStore store, Location file, Set<String> listed) throws IOException {
        Location indexLocation = TfRecordIndex.defaultLocation(file);
        Optional<TfRecordIndex> index = listed.contains(indexLocation.toString())
                ? Optional.of(TfRecordIndex.read(store, indexLocation))
                : TfRecordIndex.readIfExists(store, indexLocation);
        return index.isPresent() ? index.get() : TfRecordIndex.build(store, file);
    }

    /**
     * Every array of every NPZ file in {@code files}, file by file in member order, found from each file's central
     * directory with range reads (tail, directory, local headers). Items deliver the member's NPY bytes (header
     * and payload), which {@link io.s3dlio.format.Npy#parse} turns into an array without copying.
     */
    public static Dataset npzMembers(ObjectStore store, Dataset files) throws IOException {
        requireNonNull(store, "store is null");
        requireNonNull(files, "files is null");
        List<DatasetEntry> members = new ArrayList<>();
        for (DatasetEntry file : files.entries()) {
            for (NpzMember member : Npz.members(store, file.location())) {
                members.add(DatasetEntry.ofRange(file.location(), new ItemRange(member.offset(), member.size(), RecordFraming.NONE)));
            }
        }
        return Dataset.of(members);
    }
}
