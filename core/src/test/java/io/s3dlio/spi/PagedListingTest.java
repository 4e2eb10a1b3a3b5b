package io.s3dlio.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
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
}
