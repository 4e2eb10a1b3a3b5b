package io.s3dlio.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Capability;
import io.s3dlio.api.ContainerNotFoundException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.WriteOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** list: recursive and one level, string-prefix semantics, paging through large listings. */
public abstract class ListContract extends ContractSupport {

    /** Keys in the large-listing test; above 1,000 so every backend has to page. */
    protected int largeListingSize() {
        return 2_500;
    }

    private Set<String> keys(Location listPrefix, ListMode mode) throws Exception {
        try (Stream<ListEntry> entries = store().list(listPrefix, mode)) {
            return entries.map(entry -> relative(entry.location()) + (entry instanceof ListEntry.PrefixEntry ? " (prefix)" : ""))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private String relative(Location location) {
        assertThat(location.key()).startsWith(prefix.key());
        return location.key().substring(prefix.key().length());
    }

    private void putAll(String... relativeKeys) throws Exception {
        for (String key : relativeKeys) {
            putText(at(key), key);
        }
    }

    /**
     * A missing bucket fails on the {@code list} call itself, checked, before any stream exists (file stores
     * have no containers: a missing directory lists nothing).
     */
    @Test
    protected void listOfAMissingContainerFailsOnTheCall() throws Exception {
        Location container = environment().newContainerLocation();
        if (container.isLocal()) {
            try (Stream<ListEntry> entries = store().list(container, ListMode.RECURSIVE)) {
                assertThat(entries.count()).isZero();
            }
            return;
        }
        for (ListMode mode : ListMode.values()) {
            assertThatThrownBy(() -> store().list(container, mode)).isInstanceOf(ContainerNotFoundException.class)
                    .hasMessageContaining(container.toString());
        }
        assertThatThrownBy(() -> store().deletePrefix(container.withKey("some/"))).as("deletePrefix cannot start")
                .isInstanceOf(ContainerNotFoundException.class);
    }

    @Test
    void recursiveListsEveryObjectAtAnyDepth() throws Exception {
        putAll("a.txt", "dir/b.txt", "dir/sub/c.txt", "dir/sub/deeper/d.txt", "other/e.txt");
        assertThat(keys(prefix, ListMode.RECURSIVE))
                .containsExactly("a.txt", "dir/b.txt", "dir/sub/c.txt", "dir/sub/deeper/d.txt", "other/e.txt");
        assertThat(keys(at("dir/"), ListMode.RECURSIVE))
                .containsExactly("dir/b.txt", "dir/sub/c.txt", "dir/sub/deeper/d.txt");
    }

    @Test
    void oneLevelListsObjectsAndCommonPrefixes() throws Exception {
        putAll("a.txt", "dir/b.txt", "dir/sub/c.txt", "other/e.txt");
        assertThat(keys(prefix, ListMode.ONE_LEVEL)).containsExactly("a.txt", "dir/ (prefix)", "other/ (prefix)");
        assertThat(keys(at("dir/"), ListMode.ONE_LEVEL)).containsExactly("dir/b.txt", "dir/sub/ (prefix)");
    }

    @Test
    void listReportsSizes() throws Exception {
        putRandom(at("sized"), 4321, 1);
        try (Stream<ListEntry> entries = store().list(prefix, ListMode.RECURSIVE)) {
            List<ListEntry> all = entries.toList();
            assertThat(all).hasSize(1);
            assertThat(all.get(0)).isInstanceOfSatisfying(ListEntry.ObjectEntry.class,
                    object -> assertThat(object.size()).isEqualTo(4321));
        }
    }

    @Test
    void prefixIsAStringPrefixNotADirectory() throws Exception {
        putAll("file1", "file10", "file2", "files/x");
        assertThat(keys(at("file1"), ListMode.RECURSIVE)).containsExactly("file1", "file10");
        assertThat(keys(at("file"), ListMode.ONE_LEVEL)).containsExactly("file1", "file10", "file2", "files/ (prefix)");
    }

    @Test
    void listingAPrefixThatIsAlsoAKey() throws Exception {
        if (store().capabilities().contains(Capability.KEY_AND_PREFIX_COEXIST)) {
            putAll("data", "data/part-0", "data/part-1");
            assertThat(keys(at("data"), ListMode.RECURSIVE)).containsExactly("data", "data/part-0", "data/part-1");
            assertThat(keys(at("data"), ListMode.ONE_LEVEL)).containsExactly("data", "data/ (prefix)");
            assertThat(keys(at("data/"), ListMode.RECURSIVE)).containsExactly("data/part-0", "data/part-1");
        } else {
            // A file system cannot hold a file "data" and a directory "data" at once: the closest case is a
            // key that is a prefix of sibling keys.
            putAll("data", "data.idx", "data-1/x");
            assertThat(keys(at("data"), ListMode.RECURSIVE)).containsExactly("data", "data-1/x", "data.idx");
            assertThat(keys(at("data"), ListMode.ONE_LEVEL)).containsExactly("data", "data-1/ (prefix)", "data.idx");
        }
    }

    @Test
    void emptyPrefixAreaListsNothing() throws Exception {
        assertThat(keys(at("nothing/"), ListMode.RECURSIVE)).isEmpty();
        assertThat(keys(at("nothing/"), ListMode.ONE_LEVEL)).isEmpty();
    }

    @Test
    void awkwardKeysAreListedVerbatim() throws Exception {
        putAll("sp ace/ünï cödé.txt", "p%20c+t#h?.bin");
        assertThat(keys(prefix, ListMode.RECURSIVE)).containsExactly("p%20c+t#h?.bin", "sp ace/ünï cödé.txt");
    }

    @Test
    void largeListingPagesThroughEveryKey() throws Exception {
        int count = largeListingSize();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> puts = new ArrayList<>();
            java.util.concurrent.Semaphore limit = new java.util.concurrent.Semaphore(16);
            for (int i = 0; i < count; i++) {
                Location location = at(String.format(Locale.ROOT, "many/%02d/key-%05d", i % 7, i));
                puts.add(executor.submit(() -> {
                    limit.acquire();
                    try {
                        store().put(location, ByteBuffer.wrap(new byte[] {1}), WriteOptions.DEFAULT);
                    } finally {
                        limit.release();
                    }
                    return null;
                }));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        }
        try (Stream<ListEntry> entries = store().list(at("many/"), ListMode.RECURSIVE)) {
            assertThat(entries.map(entry -> entry.location().key()).distinct().count()).isEqualTo(count);
        }
        Set<String> oneLevel = keys(at("many/"), ListMode.ONE_LEVEL);
        assertThat(oneLevel).hasSize(7).allMatch(key -> key.endsWith("/ (prefix)"));
        assertThat(keys(at("many/03/"), ListMode.ONE_LEVEL)).hasSize((count - 3 + 6) / 7);
    }
}
