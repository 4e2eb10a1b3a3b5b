package io.s3dlio.loader;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * An ordered, immutable list of objects to load. Built once, before any epoch: from one listing of a prefix
 * (sizes kept from the listing), from explicit locations, or from a key-list file. The order here is the
 * "sequential" order; shuffling and sharding happen per epoch in the loader.
 */
public final class Dataset {
    private final List<DatasetEntry> entries;

    private Dataset(List<DatasetEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** A dataset of the given entries, in that order. */
    public static Dataset of(Collection<DatasetEntry> entries) {
        requireNonNull(entries, "entries is null");
        return new Dataset(new ArrayList<>(entries));
    }

    /**
     * Every object under {@code prefix} (recursive, string-prefix semantics as {@link ObjectStore#list}), from
     * ONE listing whose sizes are kept. Keys are sorted so that every rank builds the same dataset even on
     * file stores whose listing order is unspecified.
     *
     * @throws IOException naming the prefix when the listing fails
     */
    public static Dataset fromPrefix(ObjectStore store, Location prefix) throws IOException {
        requireNonNull(store, "store is null");
        requireNonNull(prefix, "prefix is null");
        List<DatasetEntry> entries = new ArrayList<>();
        try (Stream<ListEntry> listing = store.list(prefix, ListMode.RECURSIVE)) {
            listing.forEach(entry -> {
                if (entry instanceof ListEntry.ObjectEntry object) {
                    entries.add(new DatasetEntry(object.location(), OptionalLong.of(object.size())));
                }
            });
        } catch (UncheckedIOException e) {
            throw new IOException("listing " + prefix + " failed: " + e.getCause().getMessage(), e.getCause());
        }
        entries.sort((a, b) -> a.location().key().compareTo(b.location().key()));
        return new Dataset(entries);
    }

    /** The given objects, in that order, sizes unknown (whole-object reads need none). */
    public static Dataset fromLocations(Collection<Location> locations) {
        requireNonNull(locations, "locations is null");
        List<DatasetEntry> entries = new ArrayList<>(locations.size());
        for (Location location : locations) {
            entries.add(new DatasetEntry(requireNonNull(location, "a location is null"), OptionalLong.empty()));
        }
        return new Dataset(entries);
    }

    /** Parses each URI (see {@link Location#parse}); a bad one fails naming it. */
    public static Dataset fromUris(Collection<String> uris) {
        requireNonNull(uris, "uris is null");
        return fromLocations(uris.stream().map(Location::parse).toList());
    }

    /**
     * Reads a key-list file: one URI per line, surrounding blanks trimmed, blank lines and lines starting with
     * {@code #} skipped.
     *
     * @throws IOException naming the file when it cannot be read
     * @throws IllegalArgumentException naming the file and line number of a URI that does not parse
     */
    public static Dataset fromKeyList(Path file) throws IOException {
        requireNonNull(file, "file is null");
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read key list " + file + ": " + e, e);
        }
        List<DatasetEntry> entries = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                entries.add(new DatasetEntry(Location.parse(line), OptionalLong.empty()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("key list " + file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new Dataset(entries);
    }

    public List<DatasetEntry> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The sum of the known sizes (entries whose size is unknown count as 0). */
    public long knownBytes() {
        long total = 0;
        for (DatasetEntry entry : entries) {
            total += entry.size().orElse(0);
        }
        return total;
    }

    @Override
    public String toString() {
        return "Dataset[" + entries.size() + " objects]";
    }
}
