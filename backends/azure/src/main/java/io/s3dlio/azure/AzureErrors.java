package io.s3dlio.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.identity.CredentialUnavailableException;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import io.s3dlio.api.AccessDeniedException;
import io.s3dlio.api.ContainerNotFoundException;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.StorageException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The one place where Azure SDK failures become the project's exceptions. Retries already ran inside the
 * SDK's retry policy (configured from {@link AzureConfig#maxTries()}); this only classifies what is left.
 */
final class AzureErrors {
    private static final Set<BlobErrorCode> ACCESS_DENIED = Set.of(BlobErrorCode.AUTHORIZATION_FAILURE,
            BlobErrorCode.AUTHORIZATION_PERMISSION_MISMATCH, BlobErrorCode.AUTHORIZATION_SOURCE_IPMISMATCH,
            BlobErrorCode.AUTHORIZATION_PROTOCOL_MISMATCH, BlobErrorCode.AUTHORIZATION_RESOURCE_TYPE_MISMATCH,
            BlobErrorCode.AUTHORIZATION_SERVICE_MISMATCH, BlobErrorCode.INSUFFICIENT_ACCOUNT_PERMISSIONS);

    private AzureErrors() {}

    /** Translates {@code failure} from {@code operation} on {@code location}. */
    static IOException translate(Location location, String operation, RuntimeException failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof BlobStorageException blob) {
            return fromService(blob, location, operation);
        }
        if (cause instanceof CredentialUnavailableException) {
            return new AccessDeniedException(location, AccessDeniedException.Reason.MISSING_CREDENTIALS, operation
                    + ": no Azure credentials found. Set AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT with "
                    + "AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN, or sign in for DefaultAzureCredential (az login, "
                    + "managed identity, AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET): " + firstLine(cause), cause);
        }
        if (cause instanceof ClientAuthenticationException) {
            return new AccessDeniedException(location, AccessDeniedException.Reason.INVALID_CREDENTIALS,
                    operation + ": authentication failed: " + firstLine(cause), cause);
        }
        if (cause instanceof HttpResponseException http && http.getResponse() != null) {
            int status = http.getResponse().getStatusCode();
            return byStatus(status, "HTTP " + status, firstLine(cause), location, operation, cause);
        }
        if (cause instanceof java.net.ConnectException) {
            return new StorageException(location, operation + " failed after the SDK's retries: cannot connect to the blob "
                    + "endpoint (" + firstLine(cause) + "); check AZURE_STORAGE_ENDPOINT or the connection string's "
                    + "BlobEndpoint", cause, StorageException.Retry.RETRYABLE);
        }
        if (cause instanceof TimeoutException || cause instanceof IOException || cause instanceof UncheckedIOException) {
            return new StorageException(location, operation + " failed after the SDK's retries: " + firstLine(cause), cause,
                    StorageException.Retry.RETRYABLE);
        }
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException(location + ": " + operation + " interrupted");
            interrupted.initCause(cause);
            return interrupted;
        }
        return new StorageException(location, operation + " failed: " + firstLine(cause), cause);
    }

    private static IOException fromService(BlobStorageException e, Location location, String operation) {
        BlobErrorCode code = e.getErrorCode();
        int status = e.getStatusCode();
        if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(code)) {
            return new ContainerNotFoundException(location, e);
        }
        if (BlobErrorCode.BLOB_NOT_FOUND.equals(code)) {
            return new ObjectNotFoundException(location, e);
        }
        String label = (code == null ? "no error code" : code.toString()) + ", HTTP " + status;
        return byStatus(status, label, serviceMessage(e), location, operation, e);
    }

    private static IOException byStatus(int status, String label, String detail, Location location, String operation,
            Throwable cause) {
        if (cause instanceof BlobStorageException blob) {
            BlobErrorCode code = blob.getErrorCode();
            if (BlobErrorCode.AUTHENTICATION_FAILED.equals(code)) {
                return new AccessDeniedException(location, AccessDeniedException.Reason.INVALID_CREDENTIALS,
                        operation + ": the service rejected the credentials (" + label + "): " + detail, cause);
            }
            if (code != null && ACCESS_DENIED.contains(code)) {
                return new AccessDeniedException(location, AccessDeniedException.Reason.PERMISSION,
                        operation + ": not allowed (" + label + "): " + detail, cause);
            }
        }
        if (status == 403) {
            // Azure answers a bad shared-key signature with 403 AuthorizationFailure or AuthenticationFailed.
            return new AccessDeniedException(location, AccessDeniedException.Reason.INVALID_CREDENTIALS,
                    operation + ": access denied (" + label + "): " + detail, cause);
        }
        if (status == 401) {
            return new AccessDeniedException(location, AccessDeniedException.Reason.INVALID_CREDENTIALS,
                    operation + ": not authenticated (" + label + "): " + detail, cause);
        }
        if (status == 404) {
            return new ObjectNotFoundException(location, cause);
        }
        boolean retryable = status == 408 || status == 429 || status >= 500;
        return new StorageException(location, operation + " failed (" + label + "): " + detail, cause,
                retryable ? StorageException.Retry.RETRYABLE : StorageException.Retry.FINAL);
    }

    /** The error code of a service failure, if it is one. */
    static BlobErrorCode errorCode(RuntimeException failure) {
        return unwrap(failure) instanceof BlobStorageException blob ? blob.getErrorCode() : null;
    }

    /** The HTTP status of a service failure, or 0. */
    static int statusCode(RuntimeException failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof HttpResponseException http && http.getResponse() != null) {
            return http.getResponse().getStatusCode();
        }
        return 0;
    }

    /** Reactor wraps checked exceptions; the SDK wraps I/O failures in UncheckedIOException or RuntimeException. */
    private static Throwable unwrap(Throwable failure) {
        Throwable current = reactor.core.Exceptions.unwrap(failure);
        while ((current.getClass() == RuntimeException.class || current instanceof UncheckedIOException
                || current.getClass().getName().startsWith("reactor.core.Exceptions"))
                && current.getCause() != null && current.getCause() != current) {
            if (current instanceof UncheckedIOException && !(current.getCause() instanceof IOException)) {
                break;
            }
            current = current.getCause();
        }
        return current;
    }

    private static String serviceMessage(BlobStorageException e) {
        String message = e.getServiceMessage();
        return message == null || message.isBlank() ? firstLine(e) : firstLine(message);
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            // JDK network exceptions often carry no message; the cause may say more.
            Throwable inner = t.getCause();
            return t.getClass().getSimpleName() + (inner != null && inner != t ? ": " + firstLine(inner) : "");
        }
        return firstLine(message);
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }
}
