package io.s3dlio.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.config.ConfigSource;
import io.s3dlio.spi.ForwardingObjectStore;
import io.s3dlio.spi.ObjectStoreDecorator;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link ObjectStores#decoratedWith}: one more decorator over the same stores, closed with the view. */
class ObjectStoresViewTest {

    private static final class Counting implements ObjectStoreDecorator, AutoCloseable {
        final AtomicInteger gets = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public ObjectStore decorate(ObjectStore store, ConfigSource config) {
            return new ForwardingObjectStore(store) {
                @Override
                public ObjectBytes get(Location location) throws java.io.IOException {
                    gets.incrementAndGet();
                    return super.get(location);
                }
            };
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    @Test
    void aViewWrapsTheSameStoresAndClosesOnlyItsDecorator() throws Exception {
        Location location = Location.parse("mem://bucket/key");
        Counting counting = new Counting();
        try (ObjectStores stores = ObjectStores.create(ConfigSource.empty())) {
            ObjectStore base = stores.forLocation(location);
            base.createContainer(location.containerRoot());
            base.put(location, ByteBuffer.wrap(new byte[] {7}), WriteOptions.DEFAULT);
            ObjectStores view = stores.decoratedWith(counting);
            ObjectStore wrapped = view.forLocation(location);
            assertThat(view.forLocation(Location.parse("mem://other/x"))).isSameAs(wrapped);
            assertThat(wrapped.get(location).toArray()).containsExactly(7);
            assertThat(counting.gets).hasValue(1);
            view.close();
            view.close();
            assertThat(counting.closes).hasValue(1);
            assertThatThrownBy(() -> view.forLocation(location)).isInstanceOf(IllegalStateException.class);
            // The parent's store is still open and unwrapped.
            assertThat(stores.forLocation(location).get(location).toArray()).containsExactly(7);
            assertThat(counting.gets).hasValue(1);
        }
    }
}
