package io.s3dlio.engine.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.engine.transfer.TransferEngine.LargeWrites;
import org.junit.jupiter.api.Test;

/**
 * Unset, large pieces follow the flush: a flushed download skips the page cache, an unflushed one uses it within
 * the kernel's write-back budget; an explicit setting wins either way.
 */
class TransferEngineWritesTest {
    private static final StoreLookup NO_STORES = location -> {
        throw new IllegalStateException("no store is looked up here");
    };

    @Test
    void largeWritesFollowTheFlushByDefault() {
        try (TransferEngine flushed = TransferEngine.builder(NO_STORES).build();
                TransferEngine unflushed = TransferEngine.builder(NO_STORES).fsync(false).build()) {
            assertThat(flushed.largeWrites()).isEqualTo(LargeWrites.DIRECT);
            assertThat(unflushed.largeWrites()).isEqualTo(LargeWrites.PAGE_CACHE_THEN_DIRECT);
        }
    }

    @Test
    void anExplicitSettingWinsEitherWay() {
        try (TransferEngine direct = TransferEngine.builder(NO_STORES).fsync(false).directWrites(true).build();
                TransferEngine cached = TransferEngine.builder(NO_STORES).directWrites(false).build()) {
            assertThat(direct.largeWrites()).isEqualTo(LargeWrites.DIRECT);
            assertThat(cached.largeWrites()).isEqualTo(LargeWrites.PAGE_CACHE);
        }
    }
}
