package io.s3dlio.s3;

import io.s3dlio.api.AccessDeniedException;
import io.s3dlio.api.ContainerNotFoundException;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.StorageException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Locale;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place SDK errors become the project's exceptions. Retries already happened in the SDK's retry
 * layer (the only layer that retries, sized by {@link S3Config#maxRetries()}); what is translated here is
 * final for this call, and {@link StorageException#isRetryable()} only tells the caller whether a later try
 * might succeed.
 */
final class S3Errors {
    static final String MISSING_CREDENTIALS = "no AWS credentials found: set AWS_ACCESS_KEY_ID and "
            + "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE naming a profile in ~/.aws/credentials or ~/.aws/config, "
            + "or run with a container or instance role";

    private S3Errors() {}

    /**
     * Translates an SDK failure of {@code operation} on {@code location}. A bare 404 (HEAD has no body)
     * counts as a missing object.
     */
    static IOException translate(Location location, String operation, SdkException error) {
        if (error instanceof AwsServiceException service) {
            return service(location, operation, service);
        }
        if (error instanceof AbortedException) {
            return (IOException) new InterruptedIOException(location + ": " + operation + " interrupted").initCause(error);
        }
        if (error instanceof SdkClientException && isMissingCredentials(error)) {
            return new AccessDeniedException(location, AccessDeniedException.Reason.MISSING_CREDENTIALS,
                    MISSING_CREDENTIALS, error);
        }
        // Connection refused or reset, timeouts, truncated responses: transient by nature.
        return new StorageException(location, operation + " failed: " + describe(error), error,
                StorageException.Retry.RETRYABLE);
    }

    private static IOException service(Location location, String operation, AwsServiceException error) {
        int status = error.statusCode();
        String code = error.awsErrorDetails() == null || error.awsErrorDetails().errorCode() == null
                ? "" : error.awsErrorDetails().errorCode();
        String detail = operation + " failed: " + (code.isEmpty() ? "HTTP " + status : code + " (HTTP " + status + ")")
                + serviceMessage(error);
        switch (code) {
            case "NoSuchKey", "NotFound" -> {
                return new ObjectNotFoundException(location, error);
            }
            case "NoSuchBucket" -> {
                return new ContainerNotFoundException(location, error);
            }
            case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "TokenRefreshRequired" -> {
                return new AccessDeniedException(location, AccessDeniedException.Reason.INVALID_CREDENTIALS,
                        detail + "; check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the profile's keys", error);
            }
            case "AccessDenied", "AllAccessDisabled" -> {
                return new AccessDeniedException(location, AccessDeniedException.Reason.PERMISSION, detail, error);
            }
            case "SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout", "Throttling",
                    "ThrottlingException", "RequestTimeTooSkewed" -> {
                return new StorageException(location, detail, error, StorageException.Retry.RETRYABLE);
            }
            default -> {
                // Fall through to the status code: HEAD responses carry no error code at all.
            }
        }
        if (status == 404) {
            return new ObjectNotFoundException(location, error);
        }
        if (status == 403) {
            return new AccessDeniedException(location, AccessDeniedException.Reason.PERMISSION,
                    detail + " (wrong credentials or no permission)", error);
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new StorageException(location, detail, error, StorageException.Retry.RETRYABLE);
        }
        return new StorageException(location, detail, error);
    }

    /** The error code of a service error, or empty. */
    static String errorCode(SdkException error) {
        if (error instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorCode() != null) {
            return service.awsErrorDetails().errorCode();
        }
        return "";
    }

    static int statusCode(SdkException error) {
        return error instanceof AwsServiceException service ? service.statusCode() : 0;
    }

    private static String serviceMessage(AwsServiceException error) {
        String message = error.awsErrorDetails() == null ? null : error.awsErrorDetails().errorMessage();
        return message == null || message.isBlank() ? "" : ": " + message;
    }

    private static boolean isMissingCredentials(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("unable to load credentials") || message.contains("no credentials")
                    || message.contains("contained no credentials") || message.contains("profile file contained no")
                    || message.contains("unable to load aws credentials")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String describe(Throwable error) {
        StringBuilder out = new StringBuilder(String.valueOf(error.getMessage()));
        Throwable cause = error.getCause();
        if (cause != null && cause != error && cause.getMessage() != null && !out.toString().contains(cause.getMessage())) {
            out.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage()).append(')');
        }
        return out.toString();
    }
}
