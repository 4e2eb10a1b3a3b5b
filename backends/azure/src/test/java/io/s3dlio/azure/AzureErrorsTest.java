package io.s3dlio.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.identity.CredentialUnavailableException;
import com.azure.storage.blob.models.BlobStorageException;
import io.s3dlio.api.AccessDeniedException;
import io.s3dlio.api.ContainerNotFoundException;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The translator's classification for service answers Azurite cannot be made to give (ServerBusy, 500,
 * permission mismatch, credential chain failures). The responses are plain hand-written HttpResponses.
 */
class AzureErrorsTest {
    private static final Location LOCATION = Location.parse("az://acct/box/dir/some key.bin");

    /** A service answer with a status and an x-ms-error-code header, as the SDK sees it. */
    private static final class Answer extends HttpResponse {
        private final int status;
        private final HttpHeaders headers = new HttpHeaders();

        Answer(int status, String errorCode) {
            super(new HttpRequest(HttpMethod.GET, "http://127.0.0.1/acct/box/dir"));
            this.status = status;
            if (!errorCode.isEmpty()) {
                headers.set(com.azure.core.http.HttpHeaderName.fromString("x-ms-error-code"), errorCode);
            }
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return headers.getValue(com.azure.core.http.HttpHeaderName.fromString(name));
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.empty();
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.just(new byte[0]);
        }

        @Override
        public Mono<String> getBodyAsString() {
            return Mono.just("");
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return Mono.just("");
        }
    }

    private static IOException translate(int status, String code) {
        return AzureErrors.translate(LOCATION, "get", new BlobStorageException("Status code " + status + ", " + code, new Answer(status, code), null));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "404, BlobNotFound, ObjectNotFoundException, false",
        "404, ContainerNotFound, ContainerNotFoundException, false",
        "403, AuthenticationFailed, AccessDeniedException, false",
        "403, AuthorizationFailure, AccessDeniedException, false",
        "403, AuthorizationPermissionMismatch, AccessDeniedException, false",
        "503, ServerBusy, StorageException, true",
        "500, InternalError, StorageException, true",
        "500, OperationTimedOut, StorageException, true",
        "429, '', StorageException, true",
        "400, InvalidHeaderValue, StorageException, false",
        "409, LeaseIdMissing, StorageException, false",
    })
    void serviceAnswersAreClassified(int status, String code, String type, boolean retryable) {
        IOException e = translate(status, code);
        assertThat(e.getClass().getSimpleName()).isEqualTo(type);
        assertThat(((StorageException) e).isRetryable()).isEqualTo(retryable);
        assertThat(e.getMessage()).contains(LOCATION.toString());
        if (type.equals("StorageException") && !code.isEmpty()) {
            assertThat(e.getMessage()).contains(code).contains("HTTP " + status);
        }
    }

    @Test
    void accessDeniedReasons() {
        assertThat(((AccessDeniedException) translate(403, "AuthenticationFailed")).reason())
                .isEqualTo(AccessDeniedException.Reason.INVALID_CREDENTIALS);
        assertThat(((AccessDeniedException) translate(403, "AuthorizationPermissionMismatch")).reason())
                .isEqualTo(AccessDeniedException.Reason.PERMISSION);
    }

    @Test
    void missingContainerAndObjectKeepTheirTypes() {
        assertThat(translate(404, "ContainerNotFound")).isInstanceOf(ContainerNotFoundException.class)
                .hasMessageContaining("'box'");
        assertThat(translate(404, "BlobNotFound")).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void noCredentialsSaysWhatToSet() {
        IOException e = AzureErrors.translate(LOCATION, "list", new CredentialUnavailableException("EnvironmentCredential unavailable"));
        assertThat(e).isInstanceOfSatisfying(AccessDeniedException.class,
                denied -> assertThat(denied.reason()).isEqualTo(AccessDeniedException.Reason.MISSING_CREDENTIALS));
        assertThat(e.getMessage()).contains(LOCATION.toString(), "AZURE_STORAGE_CONNECTION_STRING", "AZURE_STORAGE_KEY");
        assertThat(AzureErrors.translate(LOCATION, "get", new ClientAuthenticationException("bad secret", null)))
                .isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void timeoutsAndResetsAreRetryable() {
        IOException timeout = AzureErrors.translate(LOCATION, "get", Exceptions.propagate(new TimeoutException("no answer in 60s")));
        assertThat(timeout).isInstanceOf(StorageException.class).hasMessageContaining(LOCATION.toString());
        assertThat(((StorageException) timeout).isRetryable()).isTrue();
        IOException reset = AzureErrors.translate(LOCATION, "put block 3", new UncheckedIOException(new SocketException("Connection reset")));
        assertThat(((StorageException) reset).isRetryable()).isTrue();
        assertThat(reset.getMessage()).contains("put block 3", "Connection reset");
    }
}
