package io.s3dlio.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * The lean ListObjectsV2 ({@code S3DLIO_S3_LEAN_LIST}) side by side with the SDK's on the same real server: every
 * page's fields (contents, common prefixes, counts, truncation) are what the SDK client unmarshals, through
 * pagination, a delimiter, keys that need URL encoding (with and without {@code encoding-type=url}), an empty
 * listing and a missing bucket; and it is really the lean path (the lean store never builds its SDK client).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LeanListChecks {
    /** Keys that the request, the XML and encoding-type=url must all carry intact. */
    static final List<String> ODD_KEYS = List.of("a b.txt", "plus+sign", "per%20cent", "100%", "caf\u00e9/cr\u00e8me",
            "\u65e5\u672c/\u8a9e", "amp&lt;<>\"'", "q?x=1&y=2", "tilde~star*", "emoji-\ud83d\ude00");

    private Map<String, String> settings;
    private AutoCloseable server;
    private S3ObjectStore lean;
    private S3ObjectStore sdk;
    private Location bucket;

    /** Starts the server; its store settings. */
    abstract Map<String, String> startServer(List<AutoCloseable> toClose);

    @BeforeAll
    void start() throws IOException {
        List<AutoCloseable> started = new ArrayList<>();
        settings = startServer(started);
        server = started.get(0);
        lean = store(true);
        sdk = store(false);
        bucket = Location.parse("s3://leanlist-" + getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
        sdk.createContainer(bucket);
        put("page/", 23, i -> String.format(java.util.Locale.ROOT, "k%03d", i));
        for (String key : List.of("tree/a/1", "tree/a/2", "tree/b/1", "tree/c", "tree/d/e/f")) {
            sdk.put(bucket.withKey(key), ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)), WriteOptions.DEFAULT);
        }
        for (String key : ODD_KEYS) {
            sdk.put(bucket.withKey("odd/" + key), ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)),
                    WriteOptions.DEFAULT);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (lean != null) {
            lean.close();
        }
        if (sdk != null) {
            sdk.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private S3ObjectStore store(boolean leanList) {
        Map<String, String> map = new HashMap<>(settings);
        map.put(S3Config.LEAN_LIST, Boolean.toString(leanList));
        return (S3ObjectStore) new S3StoreProvider().create(ConfigSource.of(map));
    }

    private void put(String prefix, int count, java.util.function.IntFunction<String> name) throws IOException {
        for (int i = 0; i < count; i++) {
            sdk.put(bucket.withKey(prefix + name.apply(i)), ByteBuffer.wrap(new byte[i]), WriteOptions.DEFAULT);
        }
    }

    /** Every page of {@code request} on {@code s3}, following its own continuation tokens. */
    private static List<ListObjectsV2Response> pages(S3Client s3, ListObjectsV2Request request) {
        List<ListObjectsV2Response> pages = new ArrayList<>();
        ListObjectsV2Request next = request;
        while (true) {
            ListObjectsV2Response page = s3.listObjectsV2(next);
            pages.add(page);
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                return pages;
            }
            assertThat(pages).as("pages").hasSizeLessThan(100);
            next = request.toBuilder().continuationToken(page.nextContinuationToken()).build();
        }
    }

    /** The lean pages equal the SDK's, but for the continuation tokens (a server may make each one afresh). */
    private List<ListObjectsV2Response> sameAsSdk(ListObjectsV2Request request) {
        List<ListObjectsV2Response> leanPages = pages(lean.client(), request);
        List<ListObjectsV2Response> sdkPages = pages(sdk.client(), request);
        // The model's fields (equals() also compares the raw HTTP response).
        assertThat(strip(leanPages)).usingElementComparator((x, y) -> x.equalsBySdkFields(y) ? 0 : 1)
                .isEqualTo(strip(sdkPages));
        assertThat(LeanS3Client.of(lean.client()).sdkClientBuilt()).as("the lean store built its SDK client").isFalse();
        return leanPages;
    }

    private static List<ListObjectsV2Response> strip(List<ListObjectsV2Response> pages) {
        return pages.stream().map(p -> p.toBuilder().continuationToken(null).nextContinuationToken(null).build())
                .toList();
    }

    private static List<String> keys(List<ListObjectsV2Response> pages) {
        return pages.stream().flatMap(p -> p.contents().stream()).map(o -> o.key()).toList();
    }

    @Test
    void pagesFollowContinuationTokens() {
        List<ListObjectsV2Response> pages = sameAsSdk(ListObjectsV2Request.builder().bucket(bucket.container())
                .prefix("page/").maxKeys(5).build());
        assertThat(pages).hasSize(5);
        assertThat(keys(pages)).hasSize(23).isSorted().startsWith("page/k000").endsWith("page/k022");
        assertThat(pages.get(0).keyCount()).isEqualTo(5);
        assertThat(pages.get(0).contents().get(3).size()).isEqualTo(3L);
        assertThat(pages.get(0).contents().get(3).lastModified()).isNotNull();
        assertThat(pages.get(0).contents().get(3).eTag()).startsWith("\"");
        assertThat(pages.get(4).isTruncated()).isFalse();
    }

    @Test
    void delimiterGivesCommonPrefixes() throws IOException {
        List<ListObjectsV2Response> pages = sameAsSdk(ListObjectsV2Request.builder().bucket(bucket.container())
                .prefix("tree/").delimiter("/").build());
        assertThat(keys(pages)).containsExactly("tree/c");
        assertThat(pages.get(0).commonPrefixes()).extracting(p -> p.prefix())
                .containsExactly("tree/a/", "tree/b/", "tree/d/");
        sameAsSdk(ListObjectsV2Request.builder().bucket(bucket.container()).prefix("tree/").delimiter("/").maxKeys(2)
                .build());
        assertThat(entries(lean, bucket.withKey("tree/"), ListMode.ONE_LEVEL))
                .isEqualTo(entries(sdk, bucket.withKey("tree/"), ListMode.ONE_LEVEL)).hasSize(4);
        assertThat(entries(lean, bucket.withKey("tree/"), ListMode.RECURSIVE))
                .isEqualTo(entries(sdk, bucket.withKey("tree/"), ListMode.RECURSIVE)).hasSize(5);
    }

    @Test
    void keysThatNeedEncodingComeBackIntact() throws IOException {
        List<String> expected = ODD_KEYS.stream().map(k -> "odd/" + k).sorted().toList();
        ListObjectsV2Request plain = ListObjectsV2Request.builder().bucket(bucket.container()).prefix("odd/").build();
        assertThat(keys(sameAsSdk(plain))).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(keys(sameAsSdk(plain.toBuilder().encodingType(EncodingType.URL).build())))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(keys(sameAsSdk(plain.toBuilder().encodingType(EncodingType.URL).maxKeys(3).build())))
                .containsExactlyInAnyOrderElementsOf(expected);
        // A prefix that itself needs encoding, as the request's query and the answer's Prefix.
        assertThat(keys(sameAsSdk(plain.toBuilder().prefix("odd/caf\u00e9/").encodingType(EncodingType.URL).build())))
                .containsExactly("odd/caf\u00e9/cr\u00e8me");
        assertThat(keys(sameAsSdk(plain.toBuilder().prefix("odd/plus+").build()))).containsExactly("odd/plus+sign");
        assertThat(entries(lean, bucket.withKey("odd/"), ListMode.RECURSIVE))
                .isEqualTo(entries(sdk, bucket.withKey("odd/"), ListMode.RECURSIVE)).hasSize(ODD_KEYS.size());
    }

    @Test
    void emptyListing() throws IOException {
        List<ListObjectsV2Response> pages = sameAsSdk(ListObjectsV2Request.builder().bucket(bucket.container())
                .prefix("nothing-here/").build());
        assertThat(pages).hasSize(1);
        assertThat(pages.get(0).contents()).isEmpty();
        assertThat(pages.get(0).commonPrefixes()).isEmpty();
        assertThat(pages.get(0).isTruncated()).isFalse();
        assertThat(entries(lean, bucket.withKey("nothing-here/"), ListMode.RECURSIVE)).isEmpty();
    }

    @Test
    void missingBucketFailsClearly() {
        Location missing = Location.parse("s3://no-such-bucket-leanlist/");
        assertThatThrownBy(() -> lean.client().listObjectsV2(b -> b.bucket(missing.container())))
                .isInstanceOf(NoSuchBucketException.class).hasMessageContaining("bucket");
        Throwable viaLean = catchList(lean, missing);
        Throwable viaSdk = catchList(sdk, missing);
        assertThat(viaLean).isNotNull().hasSameClassAs(viaSdk);
        assertThat(viaLean.getMessage()).contains("no-such-bucket-leanlist");
        assertThat(LeanS3Client.of(lean.client()).sdkClientBuilt()).isFalse();
    }

    private static Throwable catchList(S3ObjectStore store, Location location) {
        try (Stream<ListEntry> entries = store.list(location, ListMode.RECURSIVE)) {
            entries.forEach(e -> { });
            return null;
        } catch (IOException | RuntimeException e) {
            return e;
        }
    }

    private static List<ListEntry> entries(S3ObjectStore store, Location prefix, ListMode mode) throws IOException {
        try (Stream<ListEntry> entries = store.list(prefix, mode)) {
            return entries.toList();
        }
    }
}
