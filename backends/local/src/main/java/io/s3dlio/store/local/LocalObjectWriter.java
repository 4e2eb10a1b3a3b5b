package io.s3dlio.store.local;

import io.s3dlio.api.Location;
import io.s3dlio.api.WriteCondition;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.spi.AbstractObjectWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * The streaming writer of file:// and direct://. The temporary file is created on the first write (or on
 * finish, for an empty object), so a writer that is opened and dropped leaves nothing behind.
 */
final class LocalObjectWriter extends AbstractObjectWriter {
    /** Opens the sink for a temporary file of one write. */
    interface SinkOpener {
        TempSink open(Location location, AtomicReplace replace) throws IOException;
    }

    private final AtomicReplace replace;
    private final SinkOpener opener;
    private final WriteCondition condition;
    private TempSink sink;

    LocalObjectWriter(Location location, Path target, WriteOptions options, SinkOpener opener) throws IOException {
        super(location, options);
        this.replace = new AtomicReplace(location, target);
        this.opener = opener;
        this.condition = options.condition();
    }

    private TempSink sink() throws IOException {
        if (sink == null) {
            sink = opener.open(location(), replace);
        }
        return sink;
    }

    @Override
    protected void writeStored(ByteBuffer data) throws IOException {
        TempSink out = sink();
        try {
            out.write(data);
        } catch (IOException e) {
            throw LocalErrors.translate(location(), e);
        }
    }

    @Override
    protected Optional<String> completeStored() throws IOException {
        TempSink out = sink();
        try {
            out.finish();
            out.close();
        } catch (IOException e) {
            throw LocalErrors.translate(location(), e);
        }
        replace.commit(condition);
        try {
            return Optional.of(LocalListing.etag(Files.readAttributes(replace.target(), BasicFileAttributes.class)));
        } catch (IOException e) {
            // The object is in place; only its ETag is unknown (a concurrent writer or delete got there first).
            return Optional.empty();
        }
    }

    @Override
    protected void abortStored() throws IOException {
        IOException failure = null;
        if (sink != null) {
            try {
                sink.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        try {
            replace.discard();
        } catch (IOException e) {
            if (failure != null) {
                e.addSuppressed(failure);
            }
            throw e;
        }
        if (failure != null) {
            throw LocalErrors.translate(location(), failure);
        }
    }
}
