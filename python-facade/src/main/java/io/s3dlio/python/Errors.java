package io.s3dlio.python;

import io.s3dlio.api.AccessDeniedException;
import io.s3dlio.api.ContainerNotFoundException;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.loader.DataLoaderException;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The one place that turns Java failures into {@link FacadeException}s: a kind, and a message naming the URI. */
final class Errors {
    private Errors() {
    }

    static FacadeException translate(String uri, Throwable failure) {
        if (failure instanceof FacadeException facade) {
            return facade;
        }
        Throwable cause = unwrap(failure);
        String about = cause instanceof DataLoaderException loader && loader.location().isPresent()
                ? loader.location().get().toString() : uri;
        Throwable root = cause instanceof DataLoaderException && cause.getCause() != null ? unwrap(cause.getCause()) : cause;
        FacadeException.Kind kind = kindOf(root);
        String message = messageOf(cause);
        if (about != null && !about.isEmpty() && !message.contains(about)) {
            message = about + ": " + message;
        }
        return new FacadeException(kind, about, message, cause);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException
                || cause instanceof UncheckedIOException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static FacadeException.Kind kindOf(Throwable cause) {
        if (cause instanceof ObjectNotFoundException || cause instanceof ContainerNotFoundException
                || cause instanceof NoSuchFileException || cause instanceof FileNotFoundException) {
            return FacadeException.Kind.NOT_FOUND;
        }
        if (cause instanceof AccessDeniedException || cause instanceof java.nio.file.AccessDeniedException
                || cause instanceof SecurityException) {
            return FacadeException.Kind.PERMISSION;
        }
        if (cause instanceof IllegalArgumentException || cause instanceof EOFException
                || cause instanceof IndexOutOfBoundsException) {
            return FacadeException.Kind.INVALID;
        }
        return FacadeException.Kind.IO;
    }

    private static String messageOf(Throwable cause) {
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            return cause.getClass().getSimpleName();
        }
        if (cause instanceof NoSuchFileException) {
            return message + ": no such file";
        }
        // One line: Python users read the first line of an exception.
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** A writer's last step: its finish or its abort. */
    @FunctionalInterface
    interface LastStep<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code step} (a writer's finish or abort) with its failure translated for {@code name}, then closes
     * {@code writer} whatever happened: the step reported what went wrong; close only releases resources.
     */
    static <T> T thenClose(String name, LastStep<T> step, AutoCloseable writer) throws FacadeException {
        try {
            return step.run();
        } catch (IOException | RuntimeException e) {
            throw translate(name, e);
        } finally {
            try {
                writer.close();
            } catch (Exception e) {
                // Released as far as it could be; the step's own outcome is what the caller hears.
            }
        }
    }
}
