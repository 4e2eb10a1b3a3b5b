package io.s3dlio.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockListType;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.TestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The adaptive part-size policy reaches the wire on az://: blocks are counted in the block list Azurite
 * recorded (committed after finish, uncommitted during an upload), never taken from our own bookkeeping.
 */
class AzureUploadPolicyWireTest {
    static final AzuriteEnvironment ENVIRONMENT = new AzuriteEnvironment();
    private static final long MIB = 1024L * 1024;
    private final byte[] block = TestData.bytes((int) MIB, 9);

    @AfterAll
    static void closeEnvironment() {
        ENVIRONMENT.close();
    }

    private static AzureObjectStore storeWith(String speed, String minPart) {
        Map<String, String> tuning = new HashMap<>(Map.of("S3DLIO_NETWORK_SPEED_GBPS", speed));
        if (!minPart.isEmpty()) {
            tuning.put("S3DLIO_MIN_PART_SIZE", minPart);
        }
        return new AzureObjectStore(AzureConfig.from(ConfigSource.of(ENVIRONMENT.settings(tuning))));
    }

    private void writeMebibytes(ObjectWriter writer, long mebibytes) throws IOException {
        for (long i = 0; i < mebibytes; i++) {
            writer.write(ByteBuffer.wrap(block));
        }
    }

    @ParameterizedTest(name = "{0} MiB at {1} Gb/s, floor {2}: {3} blocks")
    @CsvSource({
        // size MiB, speed, min part, expected committed blocks (0 = one Put Blob, no block list)
        "20,  10,  '',     2",
        "20,  10,  24MiB,  0",
        "300, 10,  '',     19",
        "300, 100, '',     10",
        "300, 100, 48MiB,  7",
    })
    void knownSizesUseThePolicysBlockSize(long mebibytes, String speed, String minPart, int expectedBlocks) throws Exception {
        try (AzureObjectStore store = storeWith(speed, minPart)) {
            Location location = ENVIRONMENT.newTestPrefix().resolve(mebibytes + "MiB.bin");
            try (ObjectWriter writer = store.newWriter(location, WriteOptions.DEFAULT.withExpectedSize(mebibytes * MIB))) {
                writeMebibytes(writer, mebibytes);
                writer.finish();
            }
            List<Block> committed = store.blockBlob(location).listBlocks(BlockListType.COMMITTED).getCommittedBlocks();
            assertThat(committed).hasSize(expectedBlocks);
            assertThat(store.stat(location).size()).isEqualTo(mebibytes * MIB);
            store.delete(location);
        }
    }

    @ParameterizedTest(name = "3 GiB at {0} Gb/s, floor {1}: {2} MiB blocks")
    @CsvSource({
        "10,  '',    16",
        "100, '',    64",
        "10,  48MiB, 48",
    })
    void aThreeGibibyteUploadStagesThePolicysBlockSize(String speed, String minPart, long blockMebibytes) throws Exception {
        try (AzureObjectStore store = storeWith(speed, minPart)) {
            Location location = ENVIRONMENT.newTestPrefix().resolve("three-gib.bin");
            // Two blocks and a byte of a 3 GiB object: enough to see what goes over the wire, then abort.
            try (ObjectWriter writer = store.newWriter(location, WriteOptions.DEFAULT.withExpectedSize(3L << 30))) {
                writeMebibytes(writer, 2 * blockMebibytes);
                writer.write(ByteBuffer.wrap(new byte[] {1}));
                List<Block> staged = stagedBlocks(store, location, 2);
                assertThat(staged).extracting(Block::getSizeLong).containsOnly(blockMebibytes * MIB);
            }
            assertThat(store.exists(location)).as("closing without finish commits nothing").isFalse();
        }
    }

    private static List<Block> stagedBlocks(AzureObjectStore store, Location location, int expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (true) {
            try {
                List<Block> staged = store.blockBlob(location).listBlocks(BlockListType.UNCOMMITTED).getUncommittedBlocks();
                if (staged.size() >= expected || Instant.now().isAfter(deadline)) {
                    return staged;
                }
            } catch (RuntimeException notYetThere) {
                // Before the first block lands the blob does not exist and listing blocks answers 404.
                if (Instant.now().isAfter(deadline)) {
                    throw notYetThere;
                }
            }
            Thread.sleep(50); // polling the server for blocks staged by the writer's threads, with a deadline
        }
    }
}
