package io.s3dlio.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.DelegatingS3Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListBucketsRequest;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;

/** {@link DeferredS3Client} forwards what the SDK's own delegating client forwards, to the client it builds. */
class DeferredS3ClientTest {
    /** Methods of DelegatingS3Client that are its own machinery, or final there and answered here differently. */
    private static final Set<String> NOT_OPERATIONS = Set.of("delegate", "invokeOperation", "close", "serviceName",
            "serviceClientConfiguration");

    @Test
    void forwardsEveryOperationTheSdkForwards() {
        List<String> missing = new ArrayList<>();
        int operations = 0;
        for (Method method : DelegatingS3Client.class.getDeclaredMethods()) {
            int modifiers = method.getModifiers();
            if (!Modifier.isPublic(modifiers) || Modifier.isStatic(modifiers) || method.isSynthetic()
                    || method.isBridge() || NOT_OPERATIONS.contains(method.getName())) {
                continue;
            }
            operations++;
            try {
                Method forwarding = DeferredS3Client.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
                assertThat(forwarding.getReturnType()).isEqualTo(method.getReturnType());
            } catch (NoSuchMethodException e) {
                missing.add(method.toGenericString());
            }
        }
        assertThat(operations).isGreaterThan(100);
        assertThat(missing).as("S3Client operations DeferredS3Client does not forward (an SDK update added them: "
                + "write them out as the others)").isEmpty();
    }

    @Test
    void buildsTheClientOnFirstForwardedCall() {
        List<String> calls = new ArrayList<>();
        S3Client target = new S3Client() {
            @Override
            public ListBucketsResponse listBuckets(ListBucketsRequest request) {
                calls.add("listBuckets");
                return ListBucketsResponse.builder().build();
            }

            @Override
            public String serviceName() {
                return SERVICE_NAME;
            }

            @Override
            public void close() {}
        };
        int[] built = {0};
        DeferredS3Client deferred = new DeferredS3Client() {
            @Override
            S3Client client() {
                built[0]++;
                return target;
            }

            @Override
            public void close() {}
        };
        assertThat(deferred.serviceName()).isEqualTo("s3");
        assertThat(built[0]).isZero();
        deferred.listBuckets(b -> { });
        assertThat(calls).containsExactly("listBuckets");
        assertThat(built[0]).isEqualTo(1);
        // An operation the target does not implement reaches it (the interface's default throws there).
        assertThatThrownBy(() -> deferred.headBucket(b -> b.bucket("x"))).isInstanceOf(UnsupportedOperationException.class);
        assertThat(built[0]).isEqualTo(2);
    }
}
