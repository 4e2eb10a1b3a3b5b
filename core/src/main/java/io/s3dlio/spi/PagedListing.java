package io.s3dlio.spi;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Turns a paged listing into a lazy stream: the next page is fetched only when the current one is used up,
 * so at most one page is held in memory. Every backend's {@code list} and {@code listContainers} go through
 * it. The caller fetches the first page itself, before building the stream, so a listing that cannot start
 * (a missing bucket, refused credentials) fails on the {@code list} call with a checked exception; later
 * pages fail as {@link UncheckedIOException} while the stream is consumed.
 *
 * <p>Within a page, entries are sorted by {@code sortKey}: S3 and the GCS JSON API return a page's objects
 * and its common prefixes as two separate lists covering the same key range, so sorting each page keeps
 * the whole listing in key order.
 *
 * @param <P> a page as the client returns it
 * @param <T> one entry
 */
public final class PagedListing<P, T> implements Iterator<T> {

    /** One page of a listing, as far as this class needs it. */
    public interface Pages<P, T> {
        /** The entries of {@code page}, in any order. */
        List<T> values(P page);

        /** Fetches the page after {@code page}, or empty when it was the last. */
        Optional<P> next(P page) throws IOException;
    }

    private final Pages<P, T> pages;
    private final Comparator<? super T> order;
    private P page;
    private Iterator<T> current;

    private PagedListing(P first, Pages<P, T> pages, Comparator<? super T> order) {
        this.pages = pages;
        this.order = order;
        this.page = first;
        this.current = sorted(first);
    }

    /** A lazy, ordered stream over {@code first} and the pages after it. */
    public static <P, T> Stream<T> stream(P first, Pages<P, T> pages, Function<? super T, String> sortKey) {
        requireNonNull(first, "first is null");
        requireNonNull(pages, "pages is null");
        PagedListing<P, T> iterator = new PagedListing<>(first, pages, Comparator.comparing(sortKey));
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    private Iterator<T> sorted(P source) {
        List<T> values = new ArrayList<>(pages.values(source));
        values.sort(order);
        return values.iterator();
    }

    @Override
    public boolean hasNext() {
        // Pages may be empty (a page can hold only prefixes already seen, or nothing): keep going.
        while (!current.hasNext()) {
            if (page == null) {
                return false;
            }
            Optional<P> next;
            try {
                next = pages.next(page);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (next.isEmpty()) {
                page = null;
                return false;
            }
            page = next.get();
            current = sorted(page);
        }
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }
}
