package io.s3dlio.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.stream.XMLStreamException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.utils.DateUtils;

/** What the lean list's parser makes of bodies real servers rarely send (the usual ones: LeanListChecks). */
class LeanListingTest {
    private static ListObjectsV2Response parse(String xml) throws XMLStreamException {
        return LeanListing.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void timestampsAsTheSdkReadsThem() {
        for (String text : List.of("2026-12-03T03:13:25.000Z", "2026-12-03T03:13:25Z", "1970-01-01T00:00:00.1Z",
                "2024-02-29T23:59:59.123456789Z", "2026-12-03T03:13:25.000000Z")) {
            assertThat(LeanListing.instant(text)).as(text).isEqualTo(DateUtils.parseIso8601Date(text));
        }
        assertThatThrownBy(() -> LeanListing.instant("2026-02-30T00:00:00.000Z")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void unknownElementsAreSkippedAndUrlEncodingDecoded() throws XMLStreamException {
        ListObjectsV2Response page = parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>b</Name>"
                + "<Prefix>a%20b%2B</Prefix><EncodingType>url</EncodingType><KeyCount>1</KeyCount><MaxKeys>1</MaxKeys>"
                + "<IsTruncated>true</IsTruncated><NextContinuationToken>t+k=</NextContinuationToken>"
                + "<Future><Nested><Deeper>x</Deeper></Nested></Future>"
                + "<Contents><Key>a+b%2B%25c%E2%82%AC</Key><LastModified>2026-12-03T03:13:25.000Z</LastModified>"
                + "<ETag>&quot;abc&quot;</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass>"
                + "<RestoreStatus><IsRestoreInProgress>false</IsRestoreInProgress></RestoreStatus>"
                + "<Owner><ID>o</ID><DisplayName>n</DisplayName></Owner>"
                + "<ChecksumAlgorithm>CRC32C</ChecksumAlgorithm><ChecksumAlgorithm>SHA256</ChecksumAlgorithm>"
                + "</Contents></ListBucketResult>");
        assertThat(page.prefix()).isEqualTo("a b+");
        assertThat(page.isTruncated()).isTrue();
        assertThat(page.nextContinuationToken()).isEqualTo("t+k=");
        assertThat(page.contents()).hasSize(1);
        assertThat(page.contents().get(0).key()).isEqualTo("a b+%c\u20ac");
        assertThat(page.contents().get(0).eTag()).isEqualTo("\"abc\"");
        assertThat(page.contents().get(0).size()).isEqualTo(12L);
        assertThat(page.contents().get(0).owner().id()).isEqualTo("o");
        assertThat(page.contents().get(0).checksumAlgorithmAsStrings()).containsExactly("CRC32C", "SHA256");
    }

    @Test
    void anErrorDocumentIsAnS3Exception() {
        assertThatThrownBy(() -> parse("<Error><Code>InternalError</Code><Message>try again</Message>"
                + "<RequestId>r1</RequestId></Error>"))
                .isInstanceOf(S3Exception.class).hasMessageContaining("try again")
                .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("InternalError"));
    }

    @Test
    void aDoctypeIsRefused() {
        assertThatThrownBy(() -> parse("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<ListBucketResult><Name>&e;</Name></ListBucketResult>")).isInstanceOf(XMLStreamException.class);
    }
}
