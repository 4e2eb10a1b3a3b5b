package io.s3dlio.python;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The one exception the facade throws: a {@link Kind} the Python package maps onto a built-in exception, and a
 * one-line message that names the URI. The Java cause is kept for {@link #javaStackTrace()}, which Python shows
 * only when asked ({@code S3DLIO_PYTHON_TRACEBACK=1}).
 */
public final class FacadeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Kind kind;
    private final String uri;

    FacadeException(Kind kind, String uri, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.kind = requireNonNull(kind, "kind is null");
        this.uri = uri == null ? "" : uri;
    }

    /** What Python raises for each kind. */
    public enum Kind {
        /** {@code FileNotFoundError}: the object, bucket or container does not exist. */
        NOT_FOUND,
        /** {@code PermissionError}: credentials missing or refused, or permission denied. */
        PERMISSION,
        /** {@code ValueError}: a bad URI, option or argument. */
        INVALID,
        /** {@code OSError}: anything else. */
        IO
    }

    /** The kind, as its name (what Python reads). */
    public String kindName() {
        return kind.name();
    }

    public Kind kind() {
        return kind;
    }

    /** The URI the failed call was about (empty when there was none). */
    public String uri() {
        return uri;
    }

    /** The Java stack trace of the cause, for debugging. */
    public String javaStackTrace() {
        StringWriter text = new StringWriter();
        try (PrintWriter writer = new PrintWriter(text)) {
            (getCause() == null ? this : getCause()).printStackTrace(writer);
        }
        return text.toString();
    }
}
