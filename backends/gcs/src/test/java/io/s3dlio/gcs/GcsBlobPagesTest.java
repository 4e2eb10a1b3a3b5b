package io.s3dlio.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.paging.Page;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.Location;
import io.s3dlio.spi.PagedListing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** GCS's page adapter over client pages, fed pages by hand (LocalStorageHelper always answers in one page). */
class GcsBlobPagesTest {

    /** A client page over fixed values, chained to the next; the store's adapter walks it like the real one. */
    private static final class FixedPage implements Page<Blob> {
        private final List<List<Blob>> pages;
        private final int index;
        private final int[] requests;

        FixedPage(List<List<Blob>> pages, int index, int[] requests) {
            this.pages = pages;
            this.index = index;
            this.requests = requests;
        }

        @Override
        public boolean hasNextPage() {
            return index + 1 < pages.size();
        }

        @Override
        public String getNextPageToken() {
            return hasNextPage() ? "token-" + (index + 1) : null;
        }

        @Override
        public Page<Blob> getNextPage() {
            requests[0]++;
            return hasNextPage() ? new FixedPage(pages, index + 1, requests) : null;
        }

        @Override
        public Iterable<Blob> iterateAll() {
            throw new AssertionError("the store must page lazily, not iterate everything");
        }

        @Override
        public Iterable<Blob> getValues() {
            return pages.get(index);
        }
    }

    @Test
    void theStoresAdapterWalksClientPagesAndMapsDirectoriesToPrefixes() throws Exception {
        // Real Blob objects (files and "directory" prefixes) from the client, cut into pages of two by hand.
        Storage storage = LocalStorageHelper.customOptions(false).getService();
        for (String key : List.of("p/a.txt", "p/b/x", "p/c.txt", "p/d/y", "p/e.txt")) {
            storage.create(com.google.cloud.storage.BlobInfo.newBuilder("bkt", key).build(),
                    key.getBytes(StandardCharsets.UTF_8));
        }
        List<Blob> blobs = new ArrayList<>();
        storage.list("bkt", Storage.BlobListOption.prefix("p/"), Storage.BlobListOption.delimiter("/"))
                .getValues().forEach(blobs::add);
        blobs.sort(java.util.Comparator.comparing(Blob::getName).reversed());
        List<List<Blob>> pages = List.of(blobs.subList(0, 2), blobs.subList(2, 4), blobs.subList(4, 5));
        int[] requests = {0};
        Location prefix = Location.parse("gs://bkt/p/");
        try (Stream<ListEntry> entries = PagedListing.stream(new FixedPage(pages, 0, requests),
                new GcsObjectStore.BlobPages(prefix), entry -> entry.location().key())) {
            List<String> listed = entries.map(entry -> entry.location().key()
                    + (entry instanceof ListEntry.PrefixEntry ? " (prefix)" : " " + ((ListEntry.ObjectEntry) entry).size()))
                    .toList();
            // Sorted within each page; pages keep their order.
            assertThat(listed).containsExactly("p/d/ (prefix)", "p/e.txt 7", "p/b/ (prefix)", "p/c.txt 7", "p/a.txt 7");
        }
        assertThat(requests[0]).isEqualTo(2);
        storage.close();
    }

}
