package io.s3dlio.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.Owner;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.utils.DateUtils;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The lean ListObjectsV2 ({@code S3DLIO_S3_LEAN_LIST}, default as {@code S3DLIO_S3_LEAN_GET}): the request is
 * built, signed and sent by {@link LeanRequests} (the SDK's SigV4 signer, the store's credentials and Apache
 * client, failures as the SDK's exception types), and the page is read straight from the response stream with
 * the JDK's StAX parser into the SDK's own model ({@link ListObjectsV2Response}, {@link S3Object}), so
 * {@link S3Listing} and every other caller see what the SDK client gives them. A profile of {@code s3-cli ls -r}
 * of 100,000 keys put most of the remaining client CPU in the SDK's unmarshalling of each page: a DOM of
 * {@code XmlElement}s with a {@code HashMap} per element, built from Woodstox events, then bound to the model
 * (docs/BENCHMARKS.md). Here each element's text goes to its field as it is read; {@code LastModified} in the
 * usual {@code 2026-12-03T03:13:25.000Z} form is converted without a {@code DateTimeFormatter}.
 *
 * <p>As the SDK's {@code DecodeUrlEncodedResponseInterceptor} does, a page whose {@code EncodingType} is
 * {@code url} (asked for by the caller) has its keys, prefixes, delimiter and start-after decoded. Elements this
 * class does not know (a {@code RestoreStatus}, future ones) are skipped, as they would be by a caller of the
 * fields it fills.
 */
final class LeanListing {
    private static final XMLInputFactory XML = factory();

    private LeanListing() {}

    /**
     * Whether {@code request} sets only what this class sends: bucket, prefix, delimiter, continuation token,
     * max keys, start-after and encoding type (no owner, payer, expected owner, optional attributes or override
     * configuration).
     */
    static boolean supports(ListObjectsV2Request request) {
        return request.overrideConfiguration().isEmpty() && request.equalsBySdkFields(ListObjectsV2Request.builder()
                .bucket(request.bucket()).prefix(request.prefix()).delimiter(request.delimiter())
                .continuationToken(request.continuationToken()).maxKeys(request.maxKeys())
                .startAfter(request.startAfter()).encodingType(request.encodingTypeAsString()).build());
    }

    /** One ListObjectsV2 attempt on {@code endpoint}, no retries. */
    static ListObjectsV2Response list(LeanRequests lean, URI endpoint, ListObjectsV2Request request) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("list-type", "2");
        put(query, "prefix", request.prefix());
        put(query, "delimiter", request.delimiter());
        put(query, "continuation-token", request.continuationToken());
        put(query, "max-keys", request.maxKeys() == null ? null : request.maxKeys().toString());
        put(query, "start-after", request.startAfter());
        put(query, "encoding-type", request.encodingTypeAsString());
        AbortableInputStream body = lean.getBucket(endpoint, request.bucket(), query);
        boolean complete = false;
        try {
            ListObjectsV2Response page = parse(body);
            body.transferTo(java.io.OutputStream.nullOutputStream()); // the connection goes back to the pool
            complete = true;
            return page;
        } catch (XMLStreamException | IOException e) {
            throw failure(e);
        } finally {
            if (!complete) {
                try {
                    body.abort();
                } catch (RuntimeException ignored) {
                    // already broken
                }
            }
            try {
                body.close();
            } catch (IOException | RuntimeException ignored) {
                // nothing more to read from it
            }
        }
    }

    private static void put(Map<String, String> query, String name, String value) {
        if (value != null) {
            query.put(name, value);
        }
    }

    /** The page of a 2xx answer; an {@code Error} document (which no 2xx list should carry) is thrown. */
    static ListObjectsV2Response parse(InputStream body) throws XMLStreamException {
        XMLStreamReader xml;
        synchronized (XML) { // the JDK's factory is not documented as thread-safe
            xml = XML.createXMLStreamReader(body);
        }
        try {
            xml.nextTag();
            if (xml.getLocalName().equals("Error")) {
                throw error(xml);
            }
            if (!xml.getLocalName().equals("ListBucketResult")) {
                throw SdkClientException.create("ListObjectsV2: unexpected response element <" + xml.getLocalName()
                        + ">");
            }
            return page(xml);
        } finally {
            xml.close();
        }
    }

    private static ListObjectsV2Response page(XMLStreamReader xml) throws XMLStreamException {
        ListObjectsV2Response.Builder page = ListObjectsV2Response.builder();
        List<S3Object> contents = new ArrayList<>();
        List<CommonPrefix> prefixes = new ArrayList<>();
        String encoding = null;
        String prefix = null;
        String delimiter = null;
        String startAfter = null;
        while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
            switch (xml.getLocalName()) {
                case "Contents" -> contents.add(object(xml));
                case "CommonPrefixes" -> prefixes.add(commonPrefix(xml));
                case "Name" -> page.name(xml.getElementText());
                case "Prefix" -> prefix = xml.getElementText();
                case "Delimiter" -> delimiter = xml.getElementText();
                case "StartAfter" -> startAfter = xml.getElementText();
                case "EncodingType" -> encoding = xml.getElementText();
                case "MaxKeys" -> page.maxKeys(Integer.valueOf(xml.getElementText().trim()));
                case "KeyCount" -> page.keyCount(Integer.valueOf(xml.getElementText().trim()));
                case "IsTruncated" -> page.isTruncated(Boolean.valueOf(xml.getElementText().trim()));
                case "ContinuationToken" -> page.continuationToken(xml.getElementText());
                case "NextContinuationToken" -> page.nextContinuationToken(xml.getElementText());
                default -> skip(xml);
            }
        }
        boolean url = "url".equals(encoding);
        if (url) {
            contents.replaceAll(o -> o.toBuilder().key(decode(o.key())).build());
            prefixes.replaceAll(p -> CommonPrefix.builder().prefix(decode(p.prefix())).build());
        }
        // Lists left unset when empty, as the SDK leaves them (hasContents() false, equal to its pages); its
        // decoding of a url page sets both.
        if (url || !contents.isEmpty()) {
            page.contents(contents);
        }
        if (url || !prefixes.isEmpty()) {
            page.commonPrefixes(prefixes);
        }
        return page.encodingType(encoding)
                .prefix(url ? decode(prefix) : prefix)
                .delimiter(url ? decode(delimiter) : delimiter)
                .startAfter(url ? decode(startAfter) : startAfter)
                .build();
    }

    private static S3Object object(XMLStreamReader xml) throws XMLStreamException {
        S3Object.Builder object = S3Object.builder();
        List<String> checksums = null;
        while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
            switch (xml.getLocalName()) {
                case "Key" -> object.key(xml.getElementText());
                case "LastModified" -> object.lastModified(instant(xml.getElementText().trim()));
                case "ETag" -> object.eTag(xml.getElementText());
                case "Size" -> object.size(Long.valueOf(xml.getElementText().trim()));
                case "StorageClass" -> object.storageClass(xml.getElementText());
                case "ChecksumType" -> object.checksumType(xml.getElementText());
                case "ChecksumAlgorithm" -> {
                    if (checksums == null) {
                        checksums = new ArrayList<>(1);
                    }
                    checksums.add(xml.getElementText());
                }
                case "Owner" -> object.owner(owner(xml));
                default -> skip(xml);
            }
        }
        if (checksums != null) {
            object.checksumAlgorithmWithStrings(checksums);
        }
        return object.build();
    }

    private static Owner owner(XMLStreamReader xml) throws XMLStreamException {
        Owner.Builder owner = Owner.builder();
        while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
            switch (xml.getLocalName()) {
                case "ID" -> owner.id(xml.getElementText());
                case "DisplayName" -> owner.displayName(xml.getElementText());
                default -> skip(xml);
            }
        }
        return owner.build();
    }

    private static CommonPrefix commonPrefix(XMLStreamReader xml) throws XMLStreamException {
        String prefix = null;
        while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
            if (xml.getLocalName().equals("Prefix")) {
                prefix = xml.getElementText();
            } else {
                skip(xml);
            }
        }
        return CommonPrefix.builder().prefix(prefix).build();
    }

    /** Skips the element the reader is at, children included; leaves the reader at its end tag. */
    private static void skip(XMLStreamReader xml) throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    /** An {@code <Error>} document in a 2xx answer, as the S3 exception the SDK would make of it. */
    private static S3Exception error(XMLStreamReader xml) throws XMLStreamException {
        String code = null;
        String message = null;
        String requestId = null;
        while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
            switch (xml.getLocalName()) {
                case "Code" -> code = xml.getElementText();
                case "Message" -> message = xml.getElementText();
                case "RequestId" -> requestId = xml.getElementText();
                default -> skip(xml);
            }
        }
        return (S3Exception) S3Exception.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("S3")
                        .build())
                .statusCode(200).requestId(requestId).message(message).build();
    }

    /** As the SDK decodes an {@code encoding-type=url} page ({@code +} is a space); most keys need nothing. */
    static String decode(String text) {
        if (text == null || (text.indexOf('%') < 0 && text.indexOf('+') < 0)) {
            return text;
        }
        return SdkHttpUtils.urlDecode(text);
    }

    /**
     * An ISO 8601 timestamp as the SDK reads it ({@link DateUtils#parseIso8601Date}); the UTC form S3 servers
     * write ({@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}) is converted by hand, every other form by the SDK.
     */
    static Instant instant(String text) {
        int length = text.length();
        if (length >= 20 && text.charAt(length - 1) == 'Z' && text.charAt(4) == '-' && text.charAt(7) == '-'
                && text.charAt(10) == 'T' && text.charAt(13) == ':' && text.charAt(16) == ':'
                && (length == 20 || (text.charAt(19) == '.' && length >= 22 && length <= 30))) {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 7);
            int day = digits(text, 8, 10);
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = digits(text, 17, 19);
            int nanos = 0;
            if (length > 20) {
                int fraction = digits(text, 20, length - 1);
                nanos = fraction < 0 ? -1 : fraction * POWERS[9 - (length - 21)];
            }
            if (year >= 0 && month >= 0 && day >= 0 && hour >= 0 && hour < 24 && minute >= 0 && minute < 60
                    && second >= 0 && second < 60 && nanos >= 0) {
                try {
                    long days = LocalDate.of(year, month, day).toEpochDay();
                    return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
                } catch (DateTimeException e) {
                    // not a date: let the SDK's parser say so
                }
            }
        }
        return DateUtils.parseIso8601Date(text);
    }

    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    /** The decimal number in {@code text[from, to)}, or -1 if a character is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static SdkException failure(Exception e) {
        // The parser wraps the body's I/O failures (an interrupt included) in its own exception.
        Throwable cause = e instanceof XMLStreamException x && x.getNestedException() != null
                ? x.getNestedException() : e;
        if (Thread.currentThread().isInterrupted() || (cause instanceof InterruptedIOException
                && !(cause instanceof java.net.SocketTimeoutException))) {
            return AbortedException.builder().message("Thread was interrupted").cause(e).build();
        }
        return SdkClientException.builder().message("Unable to unmarshall the ListObjectsV2 response: "
                + e.getMessage()).cause(e).build();
    }

    /** The JDK's own StAX parser (not whichever one the class path offers), with no DTDs or external entities. */
    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return factory;
    }
}
