package io.s3dlio.gcs;

import com.google.cloud.BaseServiceException;
import io.s3dlio.api.AccessDeniedException;
import io.s3dlio.api.ContainerNotFoundException;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.StorageException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Locale;

/**
 * The one place gs:// errors are translated. Retries already happened in the client library (its
 * RetrySettings, see {@link GcsConfig#maxAttempts()}); what arrives here is final, and {@link
 * StorageException#isRetryable()} only tells the caller whether trying later could help.
 */
final class GcsErrors {
    private GcsErrors() {}

    /**
     * Translates any failure of a client call on {@code location}. The message names the location, the
     * operation and the service's own words.
     */
    static IOException translate(Location location, String operation, Throwable failure) {
        if (failure instanceof StorageException ours) {
            return ours;
        }
        BaseServiceException service = serviceCause(failure);
        if (service == null) {
            if (failure instanceof InterruptedIOException interrupted) {
                return interrupted;
            }
            return new StorageException(location, operation + " failed: " + failure, failure,
                    failure instanceof IOException ? StorageException.Retry.RETRYABLE : StorageException.Retry.FINAL);
        }
        int code = service.getCode();
        String detail = operation + " failed: HTTP " + code + (service.getReason() == null ? "" : " " + service.getReason())
                + ": " + service.getMessage();
        return switch (code) {
            case 404 -> notFound(location, service);
            case 401 -> new AccessDeniedException(location, AccessDeniedException.Reason.INVALID_CREDENTIALS,
                    detail + " (credentials were rejected; check GOOGLE_APPLICATION_CREDENTIALS or run"
                            + " 'gcloud auth application-default login')", service);
            case 403 -> new AccessDeniedException(location, AccessDeniedException.Reason.PERMISSION,
                    detail + " (authenticated, but not allowed)", service);
            case 412 -> new StorageException(location, "precondition failed: " + detail, service);
            case 408, 429, 500, 502, 503, 504 -> new StorageException(location, detail, service,
                    StorageException.Retry.RETRYABLE);
            default -> new StorageException(location, detail, service,
                    service.isRetryable() ? StorageException.Retry.RETRYABLE : StorageException.Retry.FINAL);
        };
    }

    /** The HTTP status of a client failure, when it carries one. */
    static int statusCode(Throwable failure) {
        BaseServiceException service = serviceCause(failure);
        return service == null ? 0 : service.getCode();
    }

    private static StorageException notFound(Location location, BaseServiceException service) {
        // GCS answers 404 for a missing object and for a missing bucket; only the message tells them apart.
        String message = String.valueOf(service.getMessage()).toLowerCase(Locale.ROOT);
        if (!location.isObject() || message.contains("bucket does not exist") || message.contains("no such bucket")) {
            return new ContainerNotFoundException(location, service);
        }
        return new ObjectNotFoundException(location, service);
    }

    private static BaseServiceException serviceCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BaseServiceException service) {
                return service;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}
