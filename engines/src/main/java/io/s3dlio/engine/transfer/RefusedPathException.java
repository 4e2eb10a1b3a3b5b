package io.s3dlio.engine.transfer;

import java.io.IOException;

/** An object key that would be written outside the download directory, refused before any byte moves. */
public final class RefusedPathException extends IOException {
    private static final long serialVersionUID = 1L;

    public RefusedPathException(String reason) {
        super("refused: " + reason);
    }
}
