package io.s3dlio.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.AccessDeniedException;
import io.s3dlio.api.ContainerNotFoundException;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.StorageException;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The translator, fed the client library's own exception type with each status the fake cannot produce. */
class GcsErrorsTest {
    private static final Location OBJECT = Location.parse("gs://bucket/dir/key.bin");

    private static com.google.cloud.storage.StorageException service(int code, String message) {
        return new com.google.cloud.storage.StorageException(code, message);
    }

    @Test
    void missingObjectIsObjectNotFound() {
        IOException e = GcsErrors.translate(OBJECT, "get", service(404, "No such object: bucket/dir/key.bin"));
        assertThat(e).isInstanceOf(ObjectNotFoundException.class).hasMessageContaining("gs://bucket/dir/key.bin");
    }

    @Test
    void missingBucketIsContainerNotFound() {
        IOException e = GcsErrors.translate(OBJECT, "get", service(404, "The specified bucket does not exist."));
        assertThat(e).isInstanceOf(ContainerNotFoundException.class).hasMessageContaining("gs://bucket/dir/key.bin")
                .hasMessageContaining("'bucket'");
    }

    @Test
    void notFoundOnAPrefixIsTheBucket() {
        IOException e = GcsErrors.translate(OBJECT.withKey("dir/"), "list", service(404, "Not Found"));
        assertThat(e).isInstanceOf(ContainerNotFoundException.class);
    }

    @Test
    void unauthenticatedAndForbiddenAreAccessDenied() {
        IOException rejected = GcsErrors.translate(OBJECT, "get", service(401, "Invalid Credentials"));
        assertThat(rejected).isInstanceOfSatisfying(AccessDeniedException.class,
                denied -> assertThat(denied.reason()).isEqualTo(AccessDeniedException.Reason.INVALID_CREDENTIALS));
        assertThat(rejected).hasMessageContaining("gs://bucket/dir/key.bin").hasMessageContaining("GOOGLE_APPLICATION_CREDENTIALS");
        IOException forbidden = GcsErrors.translate(OBJECT, "put", service(403, "caller does not have storage.objects.create"));
        assertThat(forbidden).isInstanceOfSatisfying(AccessDeniedException.class,
                denied -> assertThat(denied.reason()).isEqualTo(AccessDeniedException.Reason.PERMISSION));
        assertThat(forbidden).hasMessageContaining("storage.objects.create").hasMessageContaining("put failed");
    }

    @Test
    void preconditionFailedIsAFinalStorageException() {
        IOException e = GcsErrors.translate(OBJECT, "put", service(412, "conditionNotMet"));
        assertThat(e).isExactlyInstanceOf(StorageException.class).hasMessageContaining("precondition failed")
                .hasMessageContaining("gs://bucket/dir/key.bin");
        assertThat(((StorageException) e).isRetryable()).isFalse();
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void throttlingAndServerErrorsAreRetryable(int code) {
        IOException e = GcsErrors.translate(OBJECT, "get", service(code, "try again"));
        assertThat(e).isInstanceOfSatisfying(StorageException.class, s -> assertThat(s.isRetryable()).isTrue());
        assertThat(e).hasMessageContaining("gs://bucket/dir/key.bin").hasMessageContaining("HTTP " + code);
    }

    @Test
    void badRequestIsFinal() {
        IOException e = GcsErrors.translate(OBJECT, "get", service(400, "Invalid argument"));
        assertThat(((StorageException) e).isRetryable()).isFalse();
        assertThat(e).hasMessageContaining("Invalid argument");
    }

    @Test
    void serviceErrorsWrappedInIOExceptionsAreFound() {
        IOException wrapped = new IOException("read failed", service(403, "denied"));
        assertThat(GcsErrors.translate(OBJECT, "ranged read", wrapped)).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void plainIOFailuresNameTheLocationAndAreRetryable() {
        IOException e = GcsErrors.translate(OBJECT, "get", new java.net.SocketException("Connection reset"));
        assertThat(e).isInstanceOfSatisfying(StorageException.class, s -> assertThat(s.isRetryable()).isTrue())
                .hasMessageContaining("gs://bucket/dir/key.bin").hasMessageContaining("Connection reset");
    }

    @Test
    void ourOwnExceptionsPassThrough() {
        StorageException ours = new ObjectNotFoundException(OBJECT);
        assertThat(GcsErrors.translate(OBJECT, "get", ours)).isSameAs(ours);
    }
}
