package io.s3dlio.s3;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * SigV4 header signing of the lean requests, computed as the SDK's {@code AwsV4HttpSigner} computes it with the
 * properties {@link LeanRequests} gives it (service {@code s3}, no double URL encoding, no path normalisation,
 * the same headers left out: connection, expect, user-agent, x-amzn-trace-id), so the headers that go out are
 * the same, byte for byte ({@code LeanSignerTest} holds it to the SDK's signer).
 *
 * <p>What it does not repeat per request: the SDK derives the signing key from a cache behind a lock, takes a
 * fresh {@link Mac} per thread (a virtual thread per object here, so {@code Mac.getInstance} per object), keys it
 * for the signature, and formats the date twice through {@code DateTimeFormatter}. Here the key is derived once
 * per day, region and secret, and one {@code Mac} keyed with it is cloned for each signature; the date text is
 * made once per second. The payload's SHA-256 is taken from the caller's buffer: a direct one of 64 KiB or more
 * by libcrypto in place where {@link NativeSha256} is available, else in 64 KiB slices (the SDK reads it through
 * its checksum stream in 4 KiB ones). About 6 % of a small GET's CPU was the SDK's signing
 * (docs/BENCHMARKS.md, "Many small objects, wave 10").
 *
 * <p>Thread-safe. Anonymous credentials (no key) are not signed here; {@link #signs} says so.
 */
final class LeanSigner {
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final Set<String> UNSIGNED_HEADERS = Set.of("connection", "x-amzn-trace-id", "user-agent", "expect");
    private static final HexFormat HEX = HexFormat.of();
    private static final int SLICE = 64 * 1024;
    /** Direct bodies from this size are hashed by libcrypto where it is linked ({@link NativeSha256}). */
    private static final int NATIVE_MIN = 64 * 1024;
    private static final MessageDigest SHA256 = newSha256();
    /**
     * Slices kept for hashing direct buffers (at most 32, 2 MiB): a fresh 64 KiB array per request was 128 MiB of
     * young-generation garbage per 2,000 small files uploaded.
     */
    private static final ArrayBlockingQueue<byte[]> SLICES = new ArrayBlockingQueue<>(32);
    private static final String EMPTY_SHA256 = HEX.formatHex(sha256().digest());

    private final String region;
    private final Clock clock;
    /** The signing key of the last day, region and secret used, as a keyed {@link Mac} to clone. */
    private volatile SigningKey key;
    /** The date texts of the last second signed in. */
    private volatile Stamp stamp;

    private record SigningKey(String secret, String date, Mac mac) {
        @Override
        public String toString() {
            return "SigningKey[" + date + "]"; // never the secret
        }
    }

    private record Stamp(long second, String date, String dateTime) {}

    LeanSigner(String region, Clock clock) {
        this.region = requireNonNull(region, "region is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Whether these credentials are signed here: not anonymous ones (no key), which the SDK's signer handles. */
    static boolean signs(AwsCredentials credentials) {
        return credentials.accessKeyId() != null && credentials.secretAccessKey() != null;
    }

    /**
     * {@code request} with the signing headers added: Host (when absent), X-Amz-Date, x-amz-content-sha256
     * ({@code payloadHash}), X-Amz-Security-Token for session credentials, and Authorization.
     */
    SdkHttpRequest sign(SdkHttpRequest request, AwsCredentials credentials, String payloadHash) {
        String accessKey = credentials.accessKeyId().trim();
        String secret = credentials.secretAccessKey().trim();
        Stamp now = stamp();
        SdkHttpRequest.Builder signed = request.toBuilder();
        signed.putHeader("x-amz-content-sha256", payloadHash);
        if (credentials instanceof AwsSessionCredentialsIdentity session) {
            signed.putHeader("X-Amz-Security-Token", session.sessionToken().trim());
        }
        if (request.firstMatchingHeader("Host").isEmpty()) {
            signed.putHeader("Host", SdkHttpUtils.isUsingStandardPort(request.protocol(), request.port())
                    ? request.host() : request.host() + ":" + request.port());
        }
        signed.putHeader("X-Amz-Date", now.dateTime());

        StringBuilder canonical = new StringBuilder(512).append(request.method().name()).append('\n');
        String path = request.encodedPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        } else if (!path.startsWith("/")) {
            path += "/"; // as the SDK's canonical request has it
        }
        canonical.append(path).append('\n');
        canonicalQuery(canonical, request);
        canonical.append('\n');
        TreeMap<String, List<String>> headers = new TreeMap<>();
        signed.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!UNSIGNED_HEADERS.contains(lower)) {
                headers.computeIfAbsent(lower, n -> new ArrayList<>(1)).addAll(values);
            }
        });
        StringBuilder signedHeaders = new StringBuilder(128);
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            canonical.append(header.getKey()).append(':');
            List<String> values = header.getValue();
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    canonical.append(',');
                }
                trimmed(canonical, values.get(i));
            }
            canonical.append('\n');
            if (!signedHeaders.isEmpty()) {
                signedHeaders.append(';');
            }
            signedHeaders.append(header.getKey());
        }
        canonical.append('\n').append(signedHeaders).append('\n').append(payloadHash);

        String scope = now.date() + "/" + region + "/s3/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + now.dateTime() + "\n" + scope + "\n"
                + HEX.formatHex(sha256().digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] toSign = stringToSign.getBytes(StandardCharsets.UTF_8);
        String signature = HEX.formatHex(mac(secret, now.date()).doFinal(toSign));
        signed.putHeader("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        return signed.build();
    }

    /** The hex SHA-256 of {@code body}'s remaining bytes (its position is left as it was). */
    static String sha256Hex(ByteBuffer body) {
        if (!body.hasRemaining()) {
            return EMPTY_SHA256;
        }
        if (!body.hasArray() && body.remaining() >= NATIVE_MIN && NativeSha256.available()) {
            byte[] hash = new byte[32];
            NativeSha256.digest(body, hash);
            return HEX.formatHex(hash);
        }
        MessageDigest digest = sha256();
        if (body.hasArray()) {
            digest.update(body.array(), body.arrayOffset() + body.position(), body.remaining());
        } else {
            // MessageDigest.update(ByteBuffer) copies a direct buffer through a 4 KiB array; 64 KiB slices here.
            ByteBuffer view = body.duplicate();
            byte[] slice = SLICES.poll();
            if (slice == null) {
                slice = new byte[SLICE];
            }
            while (view.hasRemaining()) {
                int n = Math.min(slice.length, view.remaining());
                view.get(slice, 0, n);
                digest.update(slice, 0, n);
            }
            SLICES.offer(slice);
        }
        return HEX.formatHex(digest.digest());
    }

    /** The hex SHA-256 of a body read from {@code payload} (null: none, the empty body's hash). */
    static String sha256Hex(ContentStreamProvider payload) {
        if (payload == null) {
            return EMPTY_SHA256;
        }
        if (payload instanceof S3Uploads.BufferContent buffer) {
            return sha256Hex(buffer.view());
        }
        MessageDigest digest = sha256();
        byte[] slice = new byte[SLICE];
        try (InputStream in = payload.newStream()) {
            for (int n = in.read(slice); n >= 0; n = in.read(slice)) {
                digest.update(slice, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request body to sign it", e);
        }
        return HEX.formatHex(digest.digest());
    }

    /** The raw query parameters, names and values URL-encoded, sorted by name and then value. */
    private static void canonicalQuery(StringBuilder into, SdkHttpRequest request) {
        Map<String, List<String>> raw = request.rawQueryParameters();
        if (raw.isEmpty()) {
            return;
        }
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        raw.forEach((name, values) -> {
            if (name == null || name.isEmpty()) {
                return; // not signed, as by the SDK
            }
            List<String> encoded = new ArrayList<>(values.size());
            for (String value : values) {
                String text = SdkHttpUtils.urlEncode(value);
                encoded.add(text == null ? "" : text);
            }
            encoded.sort(null);
            sorted.put(SdkHttpUtils.urlEncode(name), encoded);
        });
        SdkHttpUtils.flattenQueryParameters(into, sorted);
    }

    /** A header value trimmed, each run of white space inside it one space (the SigV4 canonical form). */
    private static void trimmed(StringBuilder into, String value) {
        boolean space = false;
        boolean started = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\r' || c == '\f') {
                space = started;
                continue;
            }
            if (space) {
                into.append(' ');
                space = false;
            }
            into.append(c);
            started = true;
        }
    }

    private Stamp stamp() {
        long second = Math.floorDiv(clock.millis(), 1000L);
        Stamp known = stamp;
        if (known != null && known.second() == second) {
            return known;
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
        String date = String.format(Locale.ROOT, "%04d%02d%02d", time.getYear(), time.getMonthValue(),
                time.getDayOfMonth());
        String dateTime = date + String.format(Locale.ROOT, "T%02d%02d%02dZ", time.getHour(), time.getMinute(),
                time.getSecond());
        known = new Stamp(second, date, dateTime);
        stamp = known;
        return known;
    }

    /** A Mac keyed with the signing key of {@code date} (derived once per day, region and secret). */
    private Mac mac(String secret, String date) {
        SigningKey known = key;
        if (known == null || !known.date().equals(date) || !known.secret().equals(secret)) {
            byte[] derived = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
            derived = hmac(derived, region);
            derived = hmac(derived, "s3");
            derived = hmac(derived, "aws4_request");
            known = new SigningKey(secret, date, keyed(derived));
            key = known; // a race derives the same key twice
        }
        try {
            return (Mac) known.mac().clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 cannot be cloned", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        return keyed(key).doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static Mac keyed(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** A fresh SHA-256: a clone of one prototype (no provider look-up per request). */
    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
