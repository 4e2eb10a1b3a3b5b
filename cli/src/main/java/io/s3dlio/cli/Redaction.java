package io.s3dlio.cli;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from log lines before -vv prints them: the value of an {@code Authorization} header (the
 * whole signature, not only its key id), an {@code x-amz-security-token} (session token), and the signature
 * of a SAS or presigned URL ({@code sig=}, {@code X-Amz-Signature=}). Every HTTP client logs headers its own
 * way ({@code Authorization: ...}, {@code Authorization=[...]}, {@code "authorization":"..."}), so the
 * patterns match the name and take the value up to the end of what the client printed for it.
 */
final class Redaction {
    static final String REDACTED = "<redacted>";

    private static final List<Pattern> HEADERS = List.of(
            Pattern.compile("(?i)(\\b(?:proxy-)?authorization\\b\"?\\s*[:=]\\s*\\[?\"?)([^\\]\"\\r\\n]+)"),
            Pattern.compile("(?i)(\\bx-amz-security-token\\b\"?\\s*[:=]\\s*\\[?\"?)([^\\]\",;&\\s]+)"),
            Pattern.compile("(?i)(\\bx-ms-copy-source-authorization\\b\"?\\s*[:=]\\s*\\[?\"?)([^\\]\"\\r\\n]+)"));
    private static final List<Pattern> QUERY = List.of(
            Pattern.compile("(?i)([?&;\\s](?:sig|x-amz-signature|x-amz-security-token|signature)=)([^&\\s\"'\\]]+)"));

    private Redaction() {}

    static String apply(String text) {
        String out = text;
        for (Pattern pattern : HEADERS) {
            out = replace(pattern, out);
        }
        for (Pattern pattern : QUERY) {
            out = replace(pattern, out);
        }
        return out;
    }

    private static String replace(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        return matcher.replaceAll(match -> Matcher.quoteReplacement(match.group(1) + REDACTED));
    }
}
