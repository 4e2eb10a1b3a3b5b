package io.s3dlio.testkit.contract;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.testkit.StoreEnvironment;
import io.s3dlio.testkit.TestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeEach;

/** What every contract class shares: the environment, a fresh prefix per test, and small helpers. */
public abstract class ContractSupport {
    /** The alignment direct I/O works in; sizes around it are the nasty cases for direct://. */
    protected static final int ALIGNMENT = 4096;

    protected Location prefix;

    /** The backend under test. */
    protected abstract StoreEnvironment environment();

    @BeforeEach
    final void freshPrefix() {
        prefix = environment().newTestPrefix();
    }

    protected ObjectStore store() {
        return environment().store();
    }

    protected Location at(String relativeKey) {
        return prefix.resolve(relativeKey);
    }

    protected byte[] putRandom(Location location, int size, long seed) throws IOException {
        byte[] data = TestData.bytes(size, seed);
        store().put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
        return data;
    }

    protected void putText(Location location, String text) throws IOException {
        store().put(location, java.nio.charset.StandardCharsets.UTF_8.encode(text), WriteOptions.DEFAULT);
    }

    protected static byte[] array(ObjectBytes bytes) {
        return bytes.toArray();
    }
}
