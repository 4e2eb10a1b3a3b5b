package io.s3dlio.s3;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.S3Utilities;
import software.amazon.awssdk.services.s3.model.*;
import software.amazon.awssdk.services.s3.waiters.S3Waiter;

/**
 * An {@link S3Client} that forwards every operation to the SDK client {@link #client()} returns, which a
 * subclass builds on first need ({@link LeanS3Client}). A plain class instead of a {@code java.lang.reflect.Proxy}
 * over {@code S3Client} because the proxy cost every command that touches S3 its start-up: reflecting over the
 * interface's 274 methods (loading their request and response classes), generating and defining the proxy class
 * and looking up its 274 {@code Method}s, about 0.2 CPU-seconds at the load of docs/BENCHMARKS.md's measurement
 * (issue 16, stat). The SDK's {@code DelegatingS3Client} does not fit: it needs the built client in its
 * constructor.
 *
 * <p>The forwarding methods are the operations {@code DelegatingS3Client} forwards, written out (generated from
 * it by reflection for SDK 2.57); {@code DeferredS3ClientTest} fails when an SDK update adds one that is not here
 * (it would throw {@link UnsupportedOperationException}, the interface's default). The interface's other methods
 * (the {@code Consumer<Builder>} forms, paginators, {@code getObject(request)}) are defaults that call these.
 */
@SuppressWarnings("deprecation") // forwards whatever the SDK forwards, deprecated operations included
abstract class DeferredS3Client implements S3Client {
    /** The SDK client the operations go to, built on first call. */
    abstract S3Client client();

    @Override
    public final String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public S3ServiceClientConfiguration serviceClientConfiguration() {
        return client().serviceClientConfiguration();
    }

    @Override
    public AbortMultipartUploadResponse abortMultipartUpload(AbortMultipartUploadRequest request) {
        return client().abortMultipartUpload(request);
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(CompleteMultipartUploadRequest request) {
        return client().completeMultipartUpload(request);
    }

    @Override
    public CopyObjectResponse copyObject(CopyObjectRequest request) {
        return client().copyObject(request);
    }

    @Override
    public CreateBucketResponse createBucket(CreateBucketRequest request) {
        return client().createBucket(request);
    }

    @Override
    public CreateBucketMetadataConfigurationResponse createBucketMetadataConfiguration(CreateBucketMetadataConfigurationRequest request) {
        return client().createBucketMetadataConfiguration(request);
    }

    @Override
    public CreateBucketMetadataTableConfigurationResponse createBucketMetadataTableConfiguration(CreateBucketMetadataTableConfigurationRequest request) {
        return client().createBucketMetadataTableConfiguration(request);
    }

    @Override
    public CreateMultipartUploadResponse createMultipartUpload(CreateMultipartUploadRequest request) {
        return client().createMultipartUpload(request);
    }

    @Override
    public CreateSessionResponse createSession(CreateSessionRequest request) {
        return client().createSession(request);
    }

    @Override
    public DeleteBucketResponse deleteBucket(DeleteBucketRequest request) {
        return client().deleteBucket(request);
    }

    @Override
    public DeleteBucketAnalyticsConfigurationResponse deleteBucketAnalyticsConfiguration(DeleteBucketAnalyticsConfigurationRequest request) {
        return client().deleteBucketAnalyticsConfiguration(request);
    }

    @Override
    public DeleteBucketCorsResponse deleteBucketCors(DeleteBucketCorsRequest request) {
        return client().deleteBucketCors(request);
    }

    @Override
    public DeleteBucketEncryptionResponse deleteBucketEncryption(DeleteBucketEncryptionRequest request) {
        return client().deleteBucketEncryption(request);
    }

    @Override
    public DeleteBucketIntelligentTieringConfigurationResponse deleteBucketIntelligentTieringConfiguration(DeleteBucketIntelligentTieringConfigurationRequest request) {
        return client().deleteBucketIntelligentTieringConfiguration(request);
    }

    @Override
    public DeleteBucketInventoryConfigurationResponse deleteBucketInventoryConfiguration(DeleteBucketInventoryConfigurationRequest request) {
        return client().deleteBucketInventoryConfiguration(request);
    }

    @Override
    public DeleteBucketLifecycleResponse deleteBucketLifecycle(DeleteBucketLifecycleRequest request) {
        return client().deleteBucketLifecycle(request);
    }

    @Override
    public DeleteBucketMetadataConfigurationResponse deleteBucketMetadataConfiguration(DeleteBucketMetadataConfigurationRequest request) {
        return client().deleteBucketMetadataConfiguration(request);
    }

    @Override
    public DeleteBucketMetadataTableConfigurationResponse deleteBucketMetadataTableConfiguration(DeleteBucketMetadataTableConfigurationRequest request) {
        return client().deleteBucketMetadataTableConfiguration(request);
    }

    @Override
    public DeleteBucketMetricsConfigurationResponse deleteBucketMetricsConfiguration(DeleteBucketMetricsConfigurationRequest request) {
        return client().deleteBucketMetricsConfiguration(request);
    }

    @Override
    public DeleteBucketOwnershipControlsResponse deleteBucketOwnershipControls(DeleteBucketOwnershipControlsRequest request) {
        return client().deleteBucketOwnershipControls(request);
    }

    @Override
    public DeleteBucketPolicyResponse deleteBucketPolicy(DeleteBucketPolicyRequest request) {
        return client().deleteBucketPolicy(request);
    }

    @Override
    public DeleteBucketReplicationResponse deleteBucketReplication(DeleteBucketReplicationRequest request) {
        return client().deleteBucketReplication(request);
    }

    @Override
    public DeleteBucketTaggingResponse deleteBucketTagging(DeleteBucketTaggingRequest request) {
        return client().deleteBucketTagging(request);
    }

    @Override
    public DeleteBucketWebsiteResponse deleteBucketWebsite(DeleteBucketWebsiteRequest request) {
        return client().deleteBucketWebsite(request);
    }

    @Override
    public DeleteObjectResponse deleteObject(DeleteObjectRequest request) {
        return client().deleteObject(request);
    }

    @Override
    public DeleteObjectAnnotationResponse deleteObjectAnnotation(DeleteObjectAnnotationRequest request) {
        return client().deleteObjectAnnotation(request);
    }

    @Override
    public DeleteObjectTaggingResponse deleteObjectTagging(DeleteObjectTaggingRequest request) {
        return client().deleteObjectTagging(request);
    }

    @Override
    public DeleteObjectsResponse deleteObjects(DeleteObjectsRequest request) {
        return client().deleteObjects(request);
    }

    @Override
    public DeletePublicAccessBlockResponse deletePublicAccessBlock(DeletePublicAccessBlockRequest request) {
        return client().deletePublicAccessBlock(request);
    }

    @Override
    public GetBucketAbacResponse getBucketAbac(GetBucketAbacRequest request) {
        return client().getBucketAbac(request);
    }

    @Override
    public GetBucketAccelerateConfigurationResponse getBucketAccelerateConfiguration(GetBucketAccelerateConfigurationRequest request) {
        return client().getBucketAccelerateConfiguration(request);
    }

    @Override
    public GetBucketAclResponse getBucketAcl(GetBucketAclRequest request) {
        return client().getBucketAcl(request);
    }

    @Override
    public GetBucketAnalyticsConfigurationResponse getBucketAnalyticsConfiguration(GetBucketAnalyticsConfigurationRequest request) {
        return client().getBucketAnalyticsConfiguration(request);
    }

    @Override
    public GetBucketCorsResponse getBucketCors(GetBucketCorsRequest request) {
        return client().getBucketCors(request);
    }

    @Override
    public GetBucketEncryptionResponse getBucketEncryption(GetBucketEncryptionRequest request) {
        return client().getBucketEncryption(request);
    }

    @Override
    public GetBucketIntelligentTieringConfigurationResponse getBucketIntelligentTieringConfiguration(GetBucketIntelligentTieringConfigurationRequest request) {
        return client().getBucketIntelligentTieringConfiguration(request);
    }

    @Override
    public GetBucketInventoryConfigurationResponse getBucketInventoryConfiguration(GetBucketInventoryConfigurationRequest request) {
        return client().getBucketInventoryConfiguration(request);
    }

    @Override
    public GetBucketLifecycleConfigurationResponse getBucketLifecycleConfiguration(GetBucketLifecycleConfigurationRequest request) {
        return client().getBucketLifecycleConfiguration(request);
    }

    @Override
    public GetBucketLocationResponse getBucketLocation(GetBucketLocationRequest request) {
        return client().getBucketLocation(request);
    }

    @Override
    public GetBucketLoggingResponse getBucketLogging(GetBucketLoggingRequest request) {
        return client().getBucketLogging(request);
    }

    @Override
    public GetBucketMetadataConfigurationResponse getBucketMetadataConfiguration(GetBucketMetadataConfigurationRequest request) {
        return client().getBucketMetadataConfiguration(request);
    }

    @Override
    public GetBucketMetadataTableConfigurationResponse getBucketMetadataTableConfiguration(GetBucketMetadataTableConfigurationRequest request) {
        return client().getBucketMetadataTableConfiguration(request);
    }

    @Override
    public GetBucketMetricsConfigurationResponse getBucketMetricsConfiguration(GetBucketMetricsConfigurationRequest request) {
        return client().getBucketMetricsConfiguration(request);
    }

    @Override
    public GetBucketNotificationConfigurationResponse getBucketNotificationConfiguration(GetBucketNotificationConfigurationRequest request) {
        return client().getBucketNotificationConfiguration(request);
    }

    @Override
    public GetBucketOwnershipControlsResponse getBucketOwnershipControls(GetBucketOwnershipControlsRequest request) {
        return client().getBucketOwnershipControls(request);
    }

    @Override
    public GetBucketPolicyResponse getBucketPolicy(GetBucketPolicyRequest request) {
        return client().getBucketPolicy(request);
    }

    @Override
    public GetBucketPolicyStatusResponse getBucketPolicyStatus(GetBucketPolicyStatusRequest request) {
        return client().getBucketPolicyStatus(request);
    }

    @Override
    public GetBucketReplicationResponse getBucketReplication(GetBucketReplicationRequest request) {
        return client().getBucketReplication(request);
    }

    @Override
    public GetBucketRequestPaymentResponse getBucketRequestPayment(GetBucketRequestPaymentRequest request) {
        return client().getBucketRequestPayment(request);
    }

    @Override
    public GetBucketTaggingResponse getBucketTagging(GetBucketTaggingRequest request) {
        return client().getBucketTagging(request);
    }

    @Override
    public GetBucketVersioningResponse getBucketVersioning(GetBucketVersioningRequest request) {
        return client().getBucketVersioning(request);
    }

    @Override
    public GetBucketWebsiteResponse getBucketWebsite(GetBucketWebsiteRequest request) {
        return client().getBucketWebsite(request);
    }

    @Override
    public <ReturnT> ReturnT getObject(GetObjectRequest request, ResponseTransformer<GetObjectResponse, ReturnT> transformer) {
        return client().getObject(request, transformer);
    }

    @Override
    public GetObjectAclResponse getObjectAcl(GetObjectAclRequest request) {
        return client().getObjectAcl(request);
    }

    @Override
    public <ReturnT> ReturnT getObjectAnnotation(GetObjectAnnotationRequest request, ResponseTransformer<GetObjectAnnotationResponse, ReturnT> transformer) {
        return client().getObjectAnnotation(request, transformer);
    }

    @Override
    public GetObjectAttributesResponse getObjectAttributes(GetObjectAttributesRequest request) {
        return client().getObjectAttributes(request);
    }

    @Override
    public GetObjectLegalHoldResponse getObjectLegalHold(GetObjectLegalHoldRequest request) {
        return client().getObjectLegalHold(request);
    }

    @Override
    public GetObjectLockConfigurationResponse getObjectLockConfiguration(GetObjectLockConfigurationRequest request) {
        return client().getObjectLockConfiguration(request);
    }

    @Override
    public GetObjectRetentionResponse getObjectRetention(GetObjectRetentionRequest request) {
        return client().getObjectRetention(request);
    }

    @Override
    public GetObjectTaggingResponse getObjectTagging(GetObjectTaggingRequest request) {
        return client().getObjectTagging(request);
    }

    @Override
    public <ReturnT> ReturnT getObjectTorrent(GetObjectTorrentRequest request, ResponseTransformer<GetObjectTorrentResponse, ReturnT> transformer) {
        return client().getObjectTorrent(request, transformer);
    }

    @Override
    public GetPublicAccessBlockResponse getPublicAccessBlock(GetPublicAccessBlockRequest request) {
        return client().getPublicAccessBlock(request);
    }

    @Override
    public HeadBucketResponse headBucket(HeadBucketRequest request) {
        return client().headBucket(request);
    }

    @Override
    public HeadObjectResponse headObject(HeadObjectRequest request) {
        return client().headObject(request);
    }

    @Override
    public ListBucketAnalyticsConfigurationsResponse listBucketAnalyticsConfigurations(ListBucketAnalyticsConfigurationsRequest request) {
        return client().listBucketAnalyticsConfigurations(request);
    }

    @Override
    public ListBucketIntelligentTieringConfigurationsResponse listBucketIntelligentTieringConfigurations(ListBucketIntelligentTieringConfigurationsRequest request) {
        return client().listBucketIntelligentTieringConfigurations(request);
    }

    @Override
    public ListBucketInventoryConfigurationsResponse listBucketInventoryConfigurations(ListBucketInventoryConfigurationsRequest request) {
        return client().listBucketInventoryConfigurations(request);
    }

    @Override
    public ListBucketMetricsConfigurationsResponse listBucketMetricsConfigurations(ListBucketMetricsConfigurationsRequest request) {
        return client().listBucketMetricsConfigurations(request);
    }

    @Override
    public ListBucketsResponse listBuckets(ListBucketsRequest request) {
        return client().listBuckets(request);
    }

    @Override
    public ListDirectoryBucketsResponse listDirectoryBuckets(ListDirectoryBucketsRequest request) {
        return client().listDirectoryBuckets(request);
    }

    @Override
    public ListMultipartUploadsResponse listMultipartUploads(ListMultipartUploadsRequest request) {
        return client().listMultipartUploads(request);
    }

    @Override
    public ListObjectAnnotationsResponse listObjectAnnotations(ListObjectAnnotationsRequest request) {
        return client().listObjectAnnotations(request);
    }

    @Override
    public ListObjectVersionsResponse listObjectVersions(ListObjectVersionsRequest request) {
        return client().listObjectVersions(request);
    }

    @Override
    public ListObjectsResponse listObjects(ListObjectsRequest request) {
        return client().listObjects(request);
    }

    @Override
    public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
        return client().listObjectsV2(request);
    }

    @Override
    public ListPartsResponse listParts(ListPartsRequest request) {
        return client().listParts(request);
    }

    @Override
    public PutBucketAbacResponse putBucketAbac(PutBucketAbacRequest request) {
        return client().putBucketAbac(request);
    }

    @Override
    public PutBucketAccelerateConfigurationResponse putBucketAccelerateConfiguration(PutBucketAccelerateConfigurationRequest request) {
        return client().putBucketAccelerateConfiguration(request);
    }

    @Override
    public PutBucketAclResponse putBucketAcl(PutBucketAclRequest request) {
        return client().putBucketAcl(request);
    }

    @Override
    public PutBucketAnalyticsConfigurationResponse putBucketAnalyticsConfiguration(PutBucketAnalyticsConfigurationRequest request) {
        return client().putBucketAnalyticsConfiguration(request);
    }

    @Override
    public PutBucketCorsResponse putBucketCors(PutBucketCorsRequest request) {
        return client().putBucketCors(request);
    }

    @Override
    public PutBucketEncryptionResponse putBucketEncryption(PutBucketEncryptionRequest request) {
        return client().putBucketEncryption(request);
    }

    @Override
    public PutBucketIntelligentTieringConfigurationResponse putBucketIntelligentTieringConfiguration(PutBucketIntelligentTieringConfigurationRequest request) {
        return client().putBucketIntelligentTieringConfiguration(request);
    }

    @Override
    public PutBucketInventoryConfigurationResponse putBucketInventoryConfiguration(PutBucketInventoryConfigurationRequest request) {
        return client().putBucketInventoryConfiguration(request);
    }

    @Override
    public PutBucketLifecycleConfigurationResponse putBucketLifecycleConfiguration(PutBucketLifecycleConfigurationRequest request) {
        return client().putBucketLifecycleConfiguration(request);
    }

    @Override
    public PutBucketLoggingResponse putBucketLogging(PutBucketLoggingRequest request) {
        return client().putBucketLogging(request);
    }

    @Override
    public PutBucketMetricsConfigurationResponse putBucketMetricsConfiguration(PutBucketMetricsConfigurationRequest request) {
        return client().putBucketMetricsConfiguration(request);
    }

    @Override
    public PutBucketNotificationConfigurationResponse putBucketNotificationConfiguration(PutBucketNotificationConfigurationRequest request) {
        return client().putBucketNotificationConfiguration(request);
    }

    @Override
    public PutBucketOwnershipControlsResponse putBucketOwnershipControls(PutBucketOwnershipControlsRequest request) {
        return client().putBucketOwnershipControls(request);
    }

    @Override
    public PutBucketPolicyResponse putBucketPolicy(PutBucketPolicyRequest request) {
        return client().putBucketPolicy(request);
    }

    @Override
    public PutBucketReplicationResponse putBucketReplication(PutBucketReplicationRequest request) {
        return client().putBucketReplication(request);
    }

    @Override
    public PutBucketRequestPaymentResponse putBucketRequestPayment(PutBucketRequestPaymentRequest request) {
        return client().putBucketRequestPayment(request);
    }

    @Override
    public PutBucketTaggingResponse putBucketTagging(PutBucketTaggingRequest request) {
        return client().putBucketTagging(request);
    }

    @Override
    public PutBucketVersioningResponse putBucketVersioning(PutBucketVersioningRequest request) {
        return client().putBucketVersioning(request);
    }

    @Override
    public PutBucketWebsiteResponse putBucketWebsite(PutBucketWebsiteRequest request) {
        return client().putBucketWebsite(request);
    }

    @Override
    public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
        return client().putObject(request, body);
    }

    @Override
    public PutObjectAclResponse putObjectAcl(PutObjectAclRequest request) {
        return client().putObjectAcl(request);
    }

    @Override
    public PutObjectAnnotationResponse putObjectAnnotation(PutObjectAnnotationRequest request, RequestBody body) {
        return client().putObjectAnnotation(request, body);
    }

    @Override
    public PutObjectLegalHoldResponse putObjectLegalHold(PutObjectLegalHoldRequest request) {
        return client().putObjectLegalHold(request);
    }

    @Override
    public PutObjectLockConfigurationResponse putObjectLockConfiguration(PutObjectLockConfigurationRequest request) {
        return client().putObjectLockConfiguration(request);
    }

    @Override
    public PutObjectRetentionResponse putObjectRetention(PutObjectRetentionRequest request) {
        return client().putObjectRetention(request);
    }

    @Override
    public PutObjectTaggingResponse putObjectTagging(PutObjectTaggingRequest request) {
        return client().putObjectTagging(request);
    }

    @Override
    public PutPublicAccessBlockResponse putPublicAccessBlock(PutPublicAccessBlockRequest request) {
        return client().putPublicAccessBlock(request);
    }

    @Override
    public RenameObjectResponse renameObject(RenameObjectRequest request) {
        return client().renameObject(request);
    }

    @Override
    public RestoreObjectResponse restoreObject(RestoreObjectRequest request) {
        return client().restoreObject(request);
    }

    @Override
    public UpdateBucketMetadataAnnotationTableConfigurationResponse updateBucketMetadataAnnotationTableConfiguration(UpdateBucketMetadataAnnotationTableConfigurationRequest request) {
        return client().updateBucketMetadataAnnotationTableConfiguration(request);
    }

    @Override
    public UpdateBucketMetadataInventoryTableConfigurationResponse updateBucketMetadataInventoryTableConfiguration(UpdateBucketMetadataInventoryTableConfigurationRequest request) {
        return client().updateBucketMetadataInventoryTableConfiguration(request);
    }

    @Override
    public UpdateBucketMetadataJournalTableConfigurationResponse updateBucketMetadataJournalTableConfiguration(UpdateBucketMetadataJournalTableConfigurationRequest request) {
        return client().updateBucketMetadataJournalTableConfiguration(request);
    }

    @Override
    public UpdateObjectEncryptionResponse updateObjectEncryption(UpdateObjectEncryptionRequest request) {
        return client().updateObjectEncryption(request);
    }

    @Override
    public UploadPartResponse uploadPart(UploadPartRequest request, RequestBody body) {
        return client().uploadPart(request, body);
    }

    @Override
    public UploadPartCopyResponse uploadPartCopy(UploadPartCopyRequest request) {
        return client().uploadPartCopy(request);
    }

    @Override
    public S3Utilities utilities() {
        return client().utilities();
    }

    @Override
    public S3Waiter waiter() {
        return client().waiter();
    }

    @Override
    public WriteGetObjectResponseResponse writeGetObjectResponse(WriteGetObjectResponseRequest request, RequestBody body) {
        return client().writeGetObjectResponse(request, body);
    }
}
