package io.s3dlio.s3;

import java.lang.reflect.Method;
import java.util.function.Supplier;

/** What the S3 client proxy ({@link BalancedS3Client}) answers for {@link Object}'s methods. */
final class ProxyObjectMethods {
    private ProxyObjectMethods() {
    }

    /**
     * The answer to {@code method}, one of {@link Object}'s: identity equality and hash (a proxy equals only
     * itself), and {@code description} for {@code toString}.
     */
    static Object answer(Object proxy, Method method, Object[] args, Supplier<String> description) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> description.get();
        };
    }
}
