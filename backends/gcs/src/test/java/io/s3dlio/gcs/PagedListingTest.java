package io.s3dlio.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.paging.Page;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The listing's paging, fed pages by hand: LocalStorageHelper always answers in one page (with a page size it
 * truncates and drops the rest), so multi-page listings are checked here.
 */
class PagedListingTest {

    /** Pages given as lists of strings; records how many pages were fetched. */
    private static final class ListPages implements PagedListing.Pages<Integer, String> {
        final List<List<String>> pages;
        int fetched = 1;
        int failAt = -1;

        ListPages(List<List<String>> pages) {
            this.pages = pages;
        }

        @Override
        public List<String> values(Integer page) {
            return pages.get(page);
        }

        @Override
        public Optional<Integer> next(Integer page) throws IOException {
            if (page + 1 >= pages.size()) {
                return Optional.empty();
            }
            if (page + 1 == failAt) {
                throw new IOException("gs://bucket/prefix/: listing the next page failed: HTTP 503");
            }
            fetched++;
            return Optional.of(page + 1);
        }
    }

    @Test
    void joinsEveryPageInOrder() {
        ListPages pages = new ListPages(List.of(List.of("a", "b"), List.of("c"), List.of("d", "e")));
        try (Stream<String> all = PagedListing.stream(0, pages, s -> s)) {
            assertThat(all.toList()).containsExactly("a", "b", "c", "d", "e");
        }
        assertThat(pages.fetched).isEqualTo(3);
    }

    @Test
    void fetchesTheNextPageOnlyWhenTheCurrentOneIsUsedUp() {
        ListPages pages = new ListPages(List.of(List.of("a", "b"), List.of("c", "d"), List.of("e")));
        try (Stream<String> all = PagedListing.stream(0, pages, s -> s)) {
            Iterator<String> it = all.iterator();
            assertThat(it.next()).isEqualTo("a");
            assertThat(it.next()).isEqualTo("b");
            assertThat(pages.fetched).as("second page not fetched before it is needed").isEqualTo(1);
            assertThat(it.next()).isEqualTo("c");
            assertThat(pages.fetched).isEqualTo(2);
        }
        assertThat(pages.fetched).as("stopping early fetches nothing more").isEqualTo(2);
    }

    @Test
    void sortsEachPageSoObjectsAndPrefixesInterleave() {
        // The JSON API gives a page's objects and prefixes as two lists; the client appends one to the other.
        ListPages pages = new ListPages(List.of(List.of("a.txt", "c.txt", "b/", "d/"), List.of("f.txt", "e/")));
        try (Stream<String> all = PagedListing.stream(0, pages, s -> s)) {
            assertThat(all.toList()).containsExactly("a.txt", "b/", "c.txt", "d/", "e/", "f.txt");
        }
    }

    @Test
    void emptyPagesInTheMiddleAreSkipped() {
        ListPages pages = new ListPages(List.of(List.of("a"), List.of(), List.of(), List.of("b")));
        try (Stream<String> all = PagedListing.stream(0, pages, s -> s)) {
            assertThat(all.toList()).containsExactly("a", "b");
        }
    }

    @Test
    void anEmptyListingIsEmpty() {
        try (Stream<String> all = PagedListing.stream(0, new ListPages(List.of(List.of())), s -> s)) {
            assertThat(all.toList()).isEmpty();
        }
    }

    @Test
    void aFailingPageSurfacesAsUncheckedIOExceptionNamingTheLocation() {
        ListPages pages = new ListPages(List.of(List.of("a"), List.of("b"), List.of("c")));
        pages.failAt = 2;
        try (Stream<String> all = PagedListing.stream(0, pages, s -> s)) {
            Iterator<String> it = all.iterator();
            assertThat(it.next()).isEqualTo("a");
            assertThat(it.next()).isEqualTo("b");
            assertThatThrownBy(it::next).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("gs://bucket/prefix/").hasMessageContaining("503");
        }
    }

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
