package io.s3dlio.s3;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthScheme;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * Opt-in ({@code S3DLIO_S3_UNSIGNED_PAYLOAD=true}): SigV4 for plain-http endpoints without hashing the body.
 *
 * <p>Why: over http the SDK's signer always puts the body's SHA-256 in {@code x-amz-content-sha256} and the
 * signature, whatever {@code PAYLOAD_SIGNING_ENABLED} says (over https it already sends
 * {@code UNSIGNED-PAYLOAD}). In a profile of a 1 GiB upload to a loopback endpoint that hash was the largest
 * single cost of the client's Java CPU (docs/BENCHMARKS.md). The trade-off: the signature then no longer covers
 * the bytes, so on an untrusted network a body altered in flight goes unnoticed by the signature check (the
 * CRC32C the library computes and, where the server checks it, the checksum header still protect against
 * corruption, not against tampering). Hence opt-in, for trusted networks only.
 *
 * <p>How: the SDK's own SigV4 signer signs the request as if it went over https with payload signing off, and
 * the signed request goes out over http again. The canonical request holds no scheme, so the signature, the
 * credential chain, the headers and the retry classification stay the SDK's.
 */
final class UnsignedPayloadSigning implements AuthScheme<AwsCredentialsIdentity> {
    private final AwsV4AuthScheme delegate = AwsV4AuthScheme.create();
    private final HttpSigner<AwsCredentialsIdentity> signer = new Signer(delegate.signer());

    static UnsignedPayloadSigning create() {
        return new UnsignedPayloadSigning();
    }

    @Override
    public String schemeId() {
        return delegate.schemeId();
    }

    @Override
    public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
        return delegate.identityProvider(providers);
    }

    @Override
    public HttpSigner<AwsCredentialsIdentity> signer() {
        return signer;
    }

    private record Signer(HttpSigner<AwsCredentialsIdentity> delegate) implements HttpSigner<AwsCredentialsIdentity> {
        Signer {
            requireNonNull(delegate, "delegate is null");
        }

        @Override
        public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
            SdkHttpRequest http = request.request();
            if (!"http".equals(http.protocol())) {
                return delegate.sign(request);
            }
            SignedRequest signed = delegate.sign(request.copy(b -> b
                    .request(http.toBuilder().protocol("https").port(http.port()).build())
                    .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)));
            return signed.copy(b -> b.request(signed.request().toBuilder().protocol("http").port(http.port()).build()));
        }

        @Override
        public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
            return delegate.signAsync(request); // the store's clients are sync
        }
    }
}
