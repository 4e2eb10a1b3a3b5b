package io.s3dlio.python;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ListEntry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/** A lazy listing handed to Python a page at a time (one bridge call per page, not per entry). */
public final class Lister implements AutoCloseable {
    private final String uri;
    private final Stream<ListEntry> stream;
    private final Iterator<ListEntry> entries;

    Lister(String uri, Stream<ListEntry> stream) {
        this.uri = requireNonNull(uri, "uri is null");
        this.stream = requireNonNull(stream, "stream is null");
        this.entries = stream.iterator();
    }

    /** Up to {@code max} more URIs (sub-prefixes end in '/'); an empty array at the end. */
    public String[] next(int max) throws FacadeException {
        try {
            List<String> page = new ArrayList<>(Math.min(max, 1024));
            while (page.size() < max && entries.hasNext()) {
                page.add(entries.next().location().toString());
            }
            if (page.isEmpty()) {
                close();
            }
            return page.toArray(String[]::new);
        } catch (RuntimeException e) {
            close();
            throw Errors.translate(uri, e);
        }
    }

    @Override
    public void close() {
        stream.close();
    }
}
