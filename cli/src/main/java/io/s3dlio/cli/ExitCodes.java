package io.s3dlio.cli;

import io.s3dlio.api.AccessDeniedException;
import io.s3dlio.api.ContainerNotFoundException;
import io.s3dlio.api.ObjectNotFoundException;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/** The process exit codes, documented in {@code --help} and the README, and how errors map onto them. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int SOME_FAILED = 1;
    public static final int USAGE = 2;
    public static final int NOT_FOUND = 3;
    public static final int ACCESS_DENIED = 4;
    public static final int IO_ERROR = 5;

    /** For picocli's help section; keep in step with cli/README-cli.md. */
    static final String[] HELP_LIST = {
        "0:success",
        "1:some items failed (each listed with its URI and cause); the rest were done",
        "2:usage error: bad option, bad URI, unknown scheme",
        "3:not found: object, bucket or container does not exist",
        "4:credentials missing or rejected, or permission denied",
        "5:any other I/O or storage error",
    };

    private ExitCodes() {}

    /** The exit code for a command that failed with {@code failure}. */
    public static int of(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof ObjectNotFoundException || t instanceof ContainerNotFoundException
                    || t instanceof NoSuchFileException || t instanceof FileNotFoundException) {
                return NOT_FOUND;
            }
            if (t instanceof AccessDeniedException || t instanceof java.nio.file.AccessDeniedException) {
                return ACCESS_DENIED;
            }
            if (t instanceof IllegalArgumentException || t instanceof CommandLine.ParameterException) {
                return USAGE;
            }
        }
        return IO_ERROR;
    }

    /** One line naming what failed and why, without the class name noise of a stack trace. */
    public static String describe(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof UncheckedIOException || t instanceof java.util.concurrent.ExecutionException
                || t instanceof java.util.concurrent.CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        String what = switch (t) {
            case NoSuchFileException e -> "no such file or directory: " + e.getFile();
            case java.nio.file.AccessDeniedException e -> "permission denied: " + e.getFile();
            case java.nio.file.FileAlreadyExistsException e -> "already exists: " + e.getFile();
            case java.nio.file.DirectoryNotEmptyException e -> "directory not empty: " + e.getFile();
            case java.nio.file.NotDirectoryException e -> "not a directory: " + e.getFile();
            case java.nio.file.FileSystemException e -> e.getMessage();
            default -> message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
        };
        Throwable cause = t.getCause();
        if (cause != null && cause.getMessage() != null && !what.contains(cause.getMessage())
                && !(t instanceof io.s3dlio.api.StorageException && cause == t)) {
            what += " (" + cause.getMessage() + ")";
        }
        return what.replace('\n', ' ');
    }

    /** {@link #describe} without a leading {@code uri: } when the caller prints the URI already. */
    static String describeFor(String uri, Throwable failure) {
        String text = describe(failure);
        return text.startsWith(uri + ": ") ? text.substring(uri.length() + 2) : text;
    }
}
