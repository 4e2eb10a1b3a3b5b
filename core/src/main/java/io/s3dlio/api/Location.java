package io.s3dlio.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * A parsed object-storage location: parsed once, immutable, and keeping the text it came from.
 *
 * <p>{@link #toString()} is the text the user typed ({@code gcs://b/k} stays {@code gcs://b/k}, an Azure
 * {@code https://} URL stays a URL), so every error message names the location in the user's own words;
 * locations derived from it ({@link #withKey}, {@link #resolve}, listing entries) keep the typed form of the
 * scheme, account and container. {@link #canonical()} is the one spelling per location. Equality and hash
 * code compare the parsed parts only: {@code gcs://b/k} equals {@code gs://b/k}.
 *
 * <p>Accepted forms:
 * <ul>
 *   <li>{@code s3://bucket/key}</li>
 *   <li>{@code gs://bucket/key} and {@code gcs://bucket/key} (both become scheme {@code gs})</li>
 *   <li>{@code az://account/container/key} and {@code https://account.blob.core.windows.net/container/key}
 *       (both become scheme {@code az})</li>
 *   <li>{@code file:///absolute/path} and {@code direct:///absolute/path}</li>
 *   <li>{@code mem://bucket/key} (the in-memory store)</li>
 * </ul>
 *
 * <p>Keys are taken verbatim: no percent-decoding, so spaces, unicode, {@code %}, {@code +}, {@code #} and
 * {@code ?} round-trip unchanged. (That is why keys never pass through {@link java.net.URI}.) For file
 * and direct locations the key is the absolute path without its leading {@code /}.
 *
 * <p>A key that is empty or ends with {@code /} names a prefix (a "directory"), not an object.
 */
public final class Location {
    private final String scheme;
    private final String account;
    private final String container;
    private final String key;
    /** The text as typed up to the key (for example {@code gcs://b/}); the key follows it verbatim. */
    private final String typedRoot;

    /** Schemes this parser understands, in the form a user types them. */
    public static final List<String> KNOWN_FORMS = List.of(
            "s3://bucket/key", "gs://bucket/key", "gcs://bucket/key", "az://account/container/key",
            "https://account.blob.core.windows.net/container/key", "file:///absolute/path",
            "direct:///absolute/path", "mem://bucket/key");

    private static final String AZURE_HOST_SUFFIX = ".blob.core.windows.net";

    /** A location from its parts; its text is the canonical one. */
    public Location(String scheme, String account, String container, String key) {
        this(scheme, account, container, key, null);
    }

    private Location(String scheme, String account, String container, String key, String typedRoot) {
        requireNonNull(scheme, "scheme is null");
        requireNonNull(account, "account is null");
        requireNonNull(container, "container is null");
        requireNonNull(key, "key is null");
        if (isLocalScheme(scheme) && !container.isEmpty()) {
            throw new IllegalArgumentException(scheme + " locations have no container: " + container);
        }
        if (container.isEmpty() && !key.isEmpty() && !isLocalScheme(scheme)) {
            throw new IllegalArgumentException("a key needs a container: " + key);
        }
        if (container.contains("/")) {
            throw new IllegalArgumentException("container must not contain '/': " + container);
        }
        this.scheme = scheme;
        this.account = account;
        this.container = container;
        this.key = key;
        this.typedRoot = typedRoot == null ? canonicalRoot(scheme, account, container, key) : typedRoot;
    }

    /** The parsed location, remembering {@code text} (which ends with the key) as its spelling. */
    private static Location typed(String text, String scheme, String account, String container, String key) {
        String root = text.substring(0, text.length() - key.length());
        return new Location(scheme, account, container, key, root);
    }

    private static String canonicalRoot(String scheme, String account, String container, String key) {
        if (isLocalScheme(scheme)) {
            return scheme + ":///";
        }
        StringBuilder out = new StringBuilder(scheme.length() + account.length() + container.length() + 5);
        out.append(scheme).append("://");
        if (!account.isEmpty()) {
            out.append(account);
            if (!container.isEmpty()) {
                out.append('/');
            }
        }
        out.append(container);
        if (!key.isEmpty()) {
            out.append('/');
        }
        return out.toString();
    }

    /** Canonical scheme: s3, gs, az, file, direct or mem. */
    public String scheme() {
        return scheme;
    }

    /** The Azure storage account; empty for every other scheme. */
    public String account() {
        return account;
    }

    /** Bucket or container; empty for file and direct, and for a scheme root like {@code s3://}. */
    public String container() {
        return container;
    }

    /** Object key or prefix, possibly empty. */
    public String key() {
        return key;
    }

    /**
     * Parses a location.
     *
     * @throws IllegalArgumentException quoting the input and naming the forms expected
     */
    public static Location parse(String text) {
        requireNonNull(text, "location is null");
        int sep = text.indexOf("://");
        if (sep <= 0) {
            throw invalid(text, "no scheme");
        }
        String rawScheme = text.substring(0, sep).toLowerCase(Locale.ROOT);
        String rest = text.substring(sep + 3);
        return switch (rawScheme) {
            case "s3" -> bucketForm("s3", text, rest);
            case "gs", "gcs" -> bucketForm("gs", text, rest);
            case "mem" -> bucketForm("mem", text, rest);
            case "az" -> azureForm(text, rest);
            case "https", "http" -> azureHttpsForm(text, rest);
            case "file", "direct" -> localForm(rawScheme, text, rest);
            default -> throw invalid(text, "unsupported scheme '" + rawScheme + "'");
        };
    }

    /** A file:// location for an absolute local path. */
    public static Location ofLocalPath(java.nio.file.Path path) {
        String absolute = path.toAbsolutePath().normalize().toString();
        return new Location("file", "", "", stripLeadingSlash(absolute));
    }

    private static Location bucketForm(String scheme, String text, String rest) {
        return containerAndKey(text, scheme, "", rest, "bucket");
    }

    /** {@code rest} is {@code container[/key]}. */
    private static Location containerAndKey(String text, String scheme, String account, String rest, String noun) {
        int slash = rest.indexOf('/');
        String container = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (container.isEmpty() && !key.isEmpty()) {
            throw invalid(text, "empty " + noun + " name");
        }
        checkContainerName(text, container);
        return typed(text, scheme, account, container, key);
    }

    private static Location azureForm(String text, String rest) {
        int slash = rest.indexOf('/');
        String account = slash < 0 ? rest : rest.substring(0, slash);
        if (account.isEmpty()) {
            throw invalid(text, "empty storage account");
        }
        return azureAfterAccount(text, account, slash < 0 ? "" : rest.substring(slash + 1));
    }

    private static Location azureHttpsForm(String text, String rest) {
        int slash = rest.indexOf('/');
        String host = (slash < 0 ? rest : rest.substring(0, slash)).toLowerCase(Locale.ROOT);
        if (!host.endsWith(AZURE_HOST_SUFFIX) || host.length() == AZURE_HOST_SUFFIX.length()) {
            throw invalid(text, "http(s) locations must be Azure blob URLs (account" + AZURE_HOST_SUFFIX + ")");
        }
        String account = host.substring(0, host.length() - AZURE_HOST_SUFFIX.length());
        return azureAfterAccount(text, account, slash < 0 ? "" : rest.substring(slash + 1));
    }

    private static Location azureAfterAccount(String text, String account, String rest) {
        return containerAndKey(text, "az", account, rest, "container");
    }

    private static Location localForm(String scheme, String text, String rest) {
        if (!rest.startsWith("/")) {
            throw invalid(text, scheme + " locations need an absolute path, as in " + scheme + ":///data/file");
        }
        return typed(text, scheme, "", "", stripLeadingSlash(rest));
    }

    private static void checkContainerName(String text, String container) {
        for (int i = 0; i < container.length(); i++) {
            char c = container.charAt(i);
            if (Character.isWhitespace(c) || c == '?' || c == '#' || c == '\\') {
                throw invalid(text, "bucket/container name '" + container + "' contains '" + c + "'");
            }
        }
    }

    private static String stripLeadingSlash(String path) {
        int i = 0;
        while (i < path.length() && path.charAt(i) == '/') {
            i++;
        }
        return path.substring(i);
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid location '" + text + "': " + why
                + "; expected one of " + String.join(", ", KNOWN_FORMS));
    }

    private static boolean isLocalScheme(String scheme) {
        return scheme.equals("file") || scheme.equals("direct");
    }

    /** True for file:// and direct:// locations. */
    public boolean isLocal() {
        return isLocalScheme(scheme);
    }

    /** True when this names an object rather than a prefix: the key is non-empty and does not end in '/'. */
    public boolean isObject() {
        return !key.isEmpty() && !key.endsWith("/");
    }

    /** The last path segment of the key (the "file name"); empty for a prefix. */
    public String name() {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    /** The same container with another key. */
    public Location withKey(String newKey) {
        requireNonNull(newKey, "newKey is null");
        String root = typedRoot;
        if (!newKey.isEmpty() && !root.endsWith("/")) {
            root = root + "/"; // typed as s3://bucket, now with a key
        }
        return new Location(scheme, account, container, newKey, root);
    }

    /** Appends {@code relative} to this key, adding a '/' between them when this key is not already a prefix. */
    public Location resolve(String relative) {
        requireNonNull(relative, "relative is null");
        if (key.isEmpty() || key.endsWith("/")) {
            return withKey(key + relative);
        }
        return withKey(key + "/" + relative);
    }

    /** This location as a prefix: the key with a trailing '/' (unchanged when empty or already one). */
    public Location asPrefix() {
        return key.isEmpty() || key.endsWith("/") ? this : withKey(key + "/");
    }

    /** The container root: same scheme, account and container, empty key. */
    public Location containerRoot() {
        return withKey("");
    }

    /** For file and direct locations, the local path. */
    public java.nio.file.Path localPath() {
        if (!isLocal()) {
            throw new IllegalStateException("not a local location: " + this);
        }
        return java.nio.file.Path.of("/" + key);
    }

    /** The canonical text: {@code scheme://[account/]container/key}, or {@code file:///path}. */
    public String canonical() {
        return canonicalRoot(scheme, account, container, key) + key;
    }

    /** The text as the user typed it (for derived locations: their typed root and the new key). */
    @Override
    public String toString() {
        return typedRoot + key;
    }

    /** Equal when scheme, account, container and key are: two spellings of one location are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Location that && scheme.equals(that.scheme) && account.equals(that.account)
                && container.equals(that.container) && key.equals(that.key);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(scheme, account, container, key);
    }
}
