package io.s3dlio.bench.peers;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.awssdk.transfer.s3.model.CompletedDirectoryDownload;
import software.amazon.awssdk.transfer.s3.model.CompletedDirectoryUpload;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peer a Java user would pick instead of s3dlio: the AWS SDK v2 S3 Transfer Manager on the CRT client,
 * configured as the other tools are (path-style, region us-east-1, static credentials, checksums
 * {@code WHEN_REQUIRED}, the same concurrency). One process per measured command, like every other tool.
 *
 * <pre>
 * TransferManagerPeer get-one  s3://B/KEY FILE        (TM downloadFile: CRT ranged GETs)
 * TransferManagerPeer put-one  FILE s3://B/KEY        (TM uploadFile: CRT multipart; fails on S3Proxy, gotcha G1)
 * TransferManagerPeer get-dir  s3://B/PREFIX/ DIR     (TM downloadDirectory)
 * TransferManagerPeer put-dir  DIR s3://B/PREFIX/     (TM uploadDirectory)
 * TransferManagerPeer ls       s3://B/PREFIX/         (CRT client ListObjectsV2 pages; TM has no listing)
 * TransferManagerPeer seed     s3://B/PREFIX COUNT SIZE   (set-up, not measured: standard client, parallel PUTs)
 * TransferManagerPeer purge    s3://B/PREFIX          (set-up: list + DeleteObjects)
 * options: --endpoint URL (required) --access-key K --secret-key S --jobs N (32)
 * </pre>
 * Each command prints one line {@code ok COMMAND objects=N bytes=N} and exits 0, or names the failure and
 * exits 1.
 */
public final class TransferManagerPeer {

    /** Settings shared by every command; the secret is not printed. */
    record Options(URI endpoint, String accessKey, String secretKey, int jobs) {
        Options {
            Objects.requireNonNull(endpoint, "endpoint is null");
            Objects.requireNonNull(accessKey, "accessKey is null");
            Objects.requireNonNull(secretKey, "secretKey is null");
            if (jobs < 1 || jobs > 1024) {
                throw new IllegalArgumentException("--jobs must be 1..1024, got " + jobs);
            }
        }

        @Override
        public String toString() {
            return "Options[endpoint=" + endpoint + ", accessKey=" + accessKey + ", secretKey=***, jobs=" + jobs + "]";
        }
    }

    /** An {@code s3://bucket/key} split once. */
    record S3Uri(String bucket, String key) {
        static S3Uri parse(String text) {
            if (!text.startsWith("s3://")) {
                throw new IllegalArgumentException("'" + text + "' is not an s3://bucket/key URI");
            }
            String rest = text.substring(5);
            int slash = rest.indexOf('/');
            if (slash <= 0) {
                return new S3Uri(rest, "");
            }
            return new S3Uri(rest.substring(0, slash), rest.substring(slash + 1));
        }
    }

    private TransferManagerPeer() {
    }

    public static void main(String[] args) {
        try {
            System.out.println(run(List.of(args)));
        } catch (Exception e) {
            System.err.println("TransferManagerPeer " + String.join(" ", args) + ": " + e);
            Throwable cause = e.getCause();
            while (cause != null) {
                System.err.println("  caused by: " + cause);
                cause = cause.getCause();
            }
            System.exit(1);
        }
    }

    /** Runs one command and returns its summary line; the entry point for the in-process smoke test too. */
    static String run(List<String> args) throws Exception {
        List<String> positional = new ArrayList<>();
        URI endpoint = null;
        String accessKey = "test";
        String secretKey = "testtest";
        int jobs = 32;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--endpoint" -> endpoint = URI.create(value(args, ++i));
                case "--access-key" -> accessKey = value(args, ++i);
                case "--secret-key" -> secretKey = value(args, ++i);
                case "--jobs" -> jobs = Integer.parseInt(value(args, ++i));
                default -> positional.add(arg);
            }
        }
        if (endpoint == null) {
            throw new IllegalArgumentException("--endpoint URL is required");
        }
        if (positional.isEmpty()) {
            throw new IllegalArgumentException("no command; see the class Javadoc");
        }
        Options options = new Options(endpoint, accessKey, secretKey, jobs);
        String command = positional.getFirst();
        List<String> rest = positional.subList(1, positional.size());
        return switch (command) {
            case "get-one" -> getOne(options, S3Uri.parse(arg(rest, 0)), Path.of(arg(rest, 1)));
            case "put-one" -> putOne(options, Path.of(arg(rest, 0)), S3Uri.parse(arg(rest, 1)));
            case "get-dir" -> getDir(options, S3Uri.parse(arg(rest, 0)), Path.of(arg(rest, 1)));
            case "put-dir" -> putDir(options, Path.of(arg(rest, 0)), S3Uri.parse(arg(rest, 1)));
            case "ls" -> list(options, S3Uri.parse(arg(rest, 0)));
            case "seed" -> seed(options, S3Uri.parse(arg(rest, 0)), Integer.parseInt(arg(rest, 1)),
                    Long.parseLong(arg(rest, 2)));
            case "purge" -> purge(options, S3Uri.parse(arg(rest, 0)));
            default -> throw new IllegalArgumentException("unknown command '" + command + "'");
        };
    }

    // ---------------------------------------------------------------- measured commands (CRT + TM)

    private static S3AsyncClient crt(Options options) {
        return S3AsyncClient.crtBuilder()
                .endpointOverride(options.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(options.accessKey(), options.secretKey())))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .maxConcurrency(options.jobs())
                .build();
    }

    private static S3TransferManager transferManager(S3AsyncClient client, Options options) {
        return S3TransferManager.builder().s3Client(client).transferDirectoryMaxConcurrency(options.jobs()).build();
    }

    private static String getOne(Options options, S3Uri source, Path target) {
        try (S3AsyncClient client = crt(options); S3TransferManager tm = transferManager(client, options)) {
            var done = tm.downloadFile(d -> d.getObjectRequest(g -> g.bucket(source.bucket()).key(source.key()))
                    .destination(target)).completionFuture().join();
            return "ok get-one objects=1 bytes=" + done.response().contentLength();
        }
    }

    private static String putOne(Options options, Path source, S3Uri target) throws IOException {
        long size = Files.size(source);
        try (S3AsyncClient client = crt(options); S3TransferManager tm = transferManager(client, options)) {
            tm.uploadFile(u -> u.putObjectRequest(p -> p.bucket(target.bucket()).key(target.key()))
                    .source(source)).completionFuture().join();
            return "ok put-one objects=1 bytes=" + size;
        }
    }

    private static String getDir(Options options, S3Uri source, Path target) throws IOException {
        try (S3AsyncClient client = crt(options); S3TransferManager tm = transferManager(client, options)) {
            CompletedDirectoryDownload done = tm.downloadDirectory(d -> d.bucket(source.bucket())
                    .listObjectsV2RequestTransformer(l -> l.prefix(source.key()))
                    .destination(target)).completionFuture().join();
            if (!done.failedTransfers().isEmpty()) {
                throw new IOException(done.failedTransfers().size() + " downloads from s3://" + source.bucket()
                        + "/" + source.key() + " failed, first: " + done.failedTransfers().getFirst().exception());
            }
            return "ok get-dir " + summary(target);
        }
    }

    private static String putDir(Options options, Path source, S3Uri target) throws IOException {
        try (S3AsyncClient client = crt(options); S3TransferManager tm = transferManager(client, options)) {
            String prefix = target.key().endsWith("/") ? target.key().substring(0, target.key().length() - 1)
                    : target.key();
            CompletedDirectoryUpload done = tm.uploadDirectory(u -> u.bucket(target.bucket()).s3Prefix(prefix)
                    .source(source)).completionFuture().join();
            if (!done.failedTransfers().isEmpty()) {
                throw new IOException(done.failedTransfers().size() + " uploads to s3://" + target.bucket() + "/"
                        + target.key() + " failed, first: " + done.failedTransfers().getFirst().exception());
            }
            return "ok put-dir " + summary(source);
        }
    }

    private static String list(Options options, S3Uri prefix) {
        try (S3AsyncClient client = crt(options)) {
            AtomicLong objects = new AtomicLong();
            AtomicLong bytes = new AtomicLong();
            client.listObjectsV2Paginator(l -> l.bucket(prefix.bucket()).prefix(prefix.key()))
                    .contents().subscribe(o -> {
                        objects.incrementAndGet();
                        bytes.addAndGet(o.size());
                    }).join();
            return "ok ls objects=" + objects + " bytes=" + bytes;
        }
    }

    private static String summary(Path directory) throws IOException {
        long objects = 0;
        long bytes = 0;
        try (var files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                objects++;
                bytes += Files.size(file);
            }
        }
        return "objects=" + objects + " bytes=" + bytes;
    }

    // ---------------------------------------------------------------- set-up commands (standard client)

    /** The standard client, which works on every server (no Expect: 100-continue, so no G1); set-up only. */
    static S3Client standard(Options options) {
        return S3Client.builder()
                .endpointOverride(options.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(options.accessKey(), options.secretKey())))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true)
                        .expectContinueEnabled(false).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    private static String seed(Options options, S3Uri prefix, int count, long size) throws Exception {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("seed size " + size + " is over one array; use put-one for more");
        }
        byte[] content = new byte[(int) size];
        new Random(size).nextBytes(content);
        try (S3Client client = standard(options);
             ExecutorService executor = Executors.newThreadPerTaskExecutor(
                     Thread.ofVirtual().name("seed-", 0).factory())) {
            try {
                client.createBucket(b -> b.bucket(prefix.bucket()));
            } catch (BucketAlreadyOwnedByYouException e) {
                // Already there from an earlier step: fine.
            } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                if (e.statusCode() != 409) {
                    throw e;
                }
            }
            java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(options.jobs());
            List<Future<?>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String key = count == 1 && !prefix.key().endsWith("/") ? prefix.key()
                        : prefix.key() + String.format(Locale.ROOT, "%08d", i);
                permits.acquire();
                futures.add(executor.submit(() -> {
                    try {
                        client.putObject(p -> p.bucket(prefix.bucket()).key(key), RequestBody.fromBytes(content));
                    } finally {
                        permits.release();
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        return "ok seed objects=" + count + " bytes=" + count * size;
    }

    private static String purge(Options options, S3Uri prefix) {
        long deleted = 0;
        try (S3Client client = standard(options)) {
            List<ObjectIdentifier> batch = new ArrayList<>();
            for (S3Object object : client.listObjectsV2Paginator(l -> l.bucket(prefix.bucket()).prefix(prefix.key()))
                    .contents()) {
                batch.add(ObjectIdentifier.builder().key(object.key()).build());
                if (batch.size() == 1000) {
                    deleted += deleteBatch(client, prefix.bucket(), batch);
                }
            }
            if (!batch.isEmpty()) {
                deleted += deleteBatch(client, prefix.bucket(), batch);
            }
        }
        return "ok purge objects=" + deleted + " bytes=0";
    }

    private static int deleteBatch(S3Client client, String bucket, List<ObjectIdentifier> batch) {
        var response = client.deleteObjects(d -> d.bucket(bucket)
                .delete(Delete.builder().objects(List.copyOf(batch)).quiet(true).build()));
        if (!response.errors().isEmpty()) {
            throw new IllegalStateException(response.errors().size() + " deletes in s3://" + bucket
                    + " failed, first: " + response.errors().getFirst());
        }
        int n = batch.size();
        batch.clear();
        return n;
    }

    private static String arg(List<String> args, int index) {
        if (index >= args.size()) {
            throw new IllegalArgumentException("missing argument " + (index + 1) + " in " + args);
        }
        return args.get(index);
    }

    private static String value(List<String> args, int i) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(args.get(i - 1) + " needs a value");
        }
        return args.get(i);
    }
}
