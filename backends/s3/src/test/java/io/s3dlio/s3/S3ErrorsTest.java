package io.s3dlio.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.AccessDeniedException;
import io.s3dlio.api.ContainerNotFoundException;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.StorageException;
import java.io.IOException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The classification table of {@link S3Errors}, on the SDK's own exception values. */
class S3ErrorsTest {
    private static final Location LOCATION = Location.parse("s3://bucket/some key");

    private static IOException service(int status, String code) {
        return S3Errors.translate(LOCATION, "GET", S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("message from server").build())
                .build());
    }

    @Test
    void notFoundKinds() {
        assertThat(service(404, "NoSuchKey")).isInstanceOf(ObjectNotFoundException.class);
        assertThat(service(404, null)).isInstanceOf(ObjectNotFoundException.class);
        assertThat(service(404, "NoSuchBucket")).isInstanceOf(ContainerNotFoundException.class);
    }

    @Test
    void accessDeniedKinds() {
        assertThat(service(403, "SignatureDoesNotMatch")).isInstanceOfSatisfying(AccessDeniedException.class,
                e -> assertThat(e.reason()).isEqualTo(AccessDeniedException.Reason.INVALID_CREDENTIALS));
        assertThat(service(403, "InvalidAccessKeyId")).isInstanceOfSatisfying(AccessDeniedException.class,
                e -> assertThat(e.reason()).isEqualTo(AccessDeniedException.Reason.INVALID_CREDENTIALS));
        assertThat(service(403, "AccessDenied")).isInstanceOfSatisfying(AccessDeniedException.class,
                e -> assertThat(e.reason()).isEqualTo(AccessDeniedException.Reason.PERMISSION));
        assertThat(service(403, null)).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void transientFailuresAreRetryableAndOthersAreNot() {
        for (IOException e : new IOException[] {service(503, "SlowDown"), service(500, "InternalError"),
                service(429, null), service(502, null),
                S3Errors.translate(LOCATION, "GET", SdkClientException.create("reset", new SocketException("Connection reset")))}) {
            assertThat(e).isInstanceOfSatisfying(StorageException.class, s -> assertThat(s.isRetryable()).isTrue());
        }
        assertThat(service(400, "InvalidArgument")).isInstanceOfSatisfying(StorageException.class,
                s -> assertThat(s.isRetryable()).isFalse());
    }

    @Test
    void everyMessageNamesTheUriAndTheCause() {
        IOException e = service(400, "InvalidArgument");
        assertThat(e).hasMessageContaining("s3://bucket/some key").hasMessageContaining("InvalidArgument")
                .hasMessageContaining("message from server");
        assertThat(S3Errors.translate(LOCATION, "GET", SdkClientException.create("reset", new SocketException("Connection reset"))))
                .hasMessageContaining("s3://bucket/some key").hasMessageContaining("Connection reset");
    }

    @Test
    void missingCredentialsIsOneLineSayingWhatToSet() {
        IOException e = S3Errors.translate(LOCATION, "GET",
                SdkClientException.create("Unable to load credentials from any of the providers in the chain"));
        assertThat(e).isInstanceOfSatisfying(AccessDeniedException.class,
                d -> assertThat(d.reason()).isEqualTo(AccessDeniedException.Reason.MISSING_CREDENTIALS));
        assertThat(e.getMessage()).doesNotContain("\n").contains("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE");
    }
}
