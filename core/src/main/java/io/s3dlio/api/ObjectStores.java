package io.s3dlio.api;

import static java.util.Objects.requireNonNull;

import io.s3dlio.config.ConfigSource;
import io.s3dlio.spi.ObjectStoreDecorator;
import io.s3dlio.spi.ObjectStoreProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * The registry: discovers {@link ObjectStoreProvider}s with {@link ServiceLoader} and hands out one store per
 * provider, created on first use and closed with the registry. Each store is wrapped by the
 * {@link ObjectStoreDecorator}s found the same way (for example the range engine, which makes {@code get} of
 * large objects concurrent). Decorators that are {@link AutoCloseable} (an operation log's writer) are closed
 * with the registry, after its stores. {@link #decoratedWith} adds one more decorator on top for a caller's own
 * view (the CLI's latency recorder and {@code --op-log}).
 *
 * <pre>{@code
 * try (ObjectStores stores = ObjectStores.create(ConfigSource.fromEnvironment())) {
 *     Location location = Location.parse("s3://bucket/key");
 *     ObjectBytes bytes = stores.forLocation(location).get(location);
 * }
 * }</pre>
 */
public final class ObjectStores implements AutoCloseable {
    private final ConfigSource config;
    private final Map<String, ObjectStoreProvider> providers;
    private final List<ObjectStoreDecorator> decorators;
    private final Map<ObjectStoreProvider, ObjectStore> open = new LinkedHashMap<>();
    /** Set on a view from {@link #decoratedWith}: the registry that owns the stores this one wraps. */
    private final ObjectStores parent;
    private final java.util.IdentityHashMap<ObjectStore, ObjectStore> wrapped = new java.util.IdentityHashMap<>();
    private boolean closed;

    private ObjectStores(ConfigSource config, Map<String, ObjectStoreProvider> providers,
            List<ObjectStoreDecorator> decorators, ObjectStores parent) {
        this.config = config;
        this.providers = providers;
        this.decorators = decorators;
        this.parent = parent;
    }

    /** A registry of every provider on the class path. */
    public static ObjectStores create(ConfigSource config) {
        return create(config, List.of());
    }

    /**
     * A registry of every provider on the class path, except that {@code overrides} serve their schemes
     * instead: a program's own client set-up, or a test's in-process fake, behind the same registry,
     * decorators included.
     */
    public static ObjectStores create(ConfigSource config, List<ObjectStoreProvider> overrides) {
        requireNonNull(config, "config is null");
        requireNonNull(overrides, "overrides is null");
        Map<String, ObjectStoreProvider> providers = new LinkedHashMap<>();
        for (ObjectStoreProvider override : overrides) {
            for (String scheme : override.schemes()) {
                if (providers.putIfAbsent(scheme, override) != null) {
                    throw new IllegalArgumentException("scheme '" + scheme + "' is overridden twice");
                }
            }
        }
        java.util.Set<String> overridden = java.util.Set.copyOf(providers.keySet());
        for (ObjectStoreProvider provider : ServiceLoader.load(ObjectStoreProvider.class)) {
            for (String scheme : provider.schemes()) {
                if (overridden.contains(scheme)) {
                    continue;
                }
                ObjectStoreProvider previous = providers.putIfAbsent(scheme, provider);
                if (previous != null) {
                    throw new IllegalStateException("scheme '" + scheme + "' is served by both "
                            + previous.getClass().getName() + " and " + provider.getClass().getName());
                }
            }
        }
        List<ObjectStoreDecorator> decorators = new ArrayList<>();
        ServiceLoader.load(ObjectStoreDecorator.class).forEach(decorators::add);
        decorators.sort(Comparator.comparing(decorator -> decorator.getClass().getName()));
        return new ObjectStores(config, providers, List.copyOf(decorators), null);
    }

    /**
     * A view of this registry whose stores are this registry's stores wrapped once more by {@code outer}
     * (outermost, so it sees every call a caller makes). The stores stay this registry's: closing the view
     * closes only {@code outer}, when it is {@link AutoCloseable}, and never the stores; close the view before
     * this registry.
     */
    public ObjectStores decoratedWith(ObjectStoreDecorator outer) {
        requireNonNull(outer, "outer is null");
        return new ObjectStores(config, providers, List.of(outer), this);
    }

    /** Schemes with a provider on the class path. */
    public java.util.Set<String> schemes() {
        return new TreeSet<>(providers.keySet());
    }

    /** The configuration stores are created from. */
    public ConfigSource config() {
        return config;
    }

    /**
     * The store serving {@code location}'s scheme, created on first use.
     *
     * @throws IllegalArgumentException when no provider serves the scheme, naming the location and the
     *         schemes that are available
     */
    public synchronized ObjectStore forLocation(Location location) throws IOException {
        requireNonNull(location, "location is null");
        if (closed) {
            throw new IllegalStateException("ObjectStores is closed");
        }
        if (parent != null) {
            ObjectStore base = parent.forLocation(location);
            ObjectStore view = wrapped.get(base);
            if (view == null) {
                view = requireNonNull(decorators.getFirst().decorate(base, config),
                        () -> decorators.getFirst().getClass().getName() + " returned no store");
                wrapped.put(base, view);
            }
            return view;
        }
        ObjectStoreProvider provider = providers.get(location.scheme());
        if (provider == null) {
            throw new IllegalArgumentException("no store for '" + location + "': scheme '" + location.scheme()
                    + "' has no provider on the class path (available: " + schemes() + ")");
        }
        ObjectStore store = open.get(provider);
        if (store == null) {
            store = decorate(provider.create(config));
            open.put(provider, store);
        }
        return store;
    }

    private ObjectStore decorate(ObjectStore created) throws IOException {
        ObjectStore store = created;
        try {
            for (ObjectStoreDecorator decorator : decorators) {
                store = requireNonNull(decorator.decorate(store, config),
                        () -> decorator.getClass().getName() + " returned no store");
            }
            return store;
        } catch (IOException | RuntimeException e) {
            try {
                store.close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Closes every store this registry opened, then its closeable decorators. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        List<AutoCloseable> closing = new ArrayList<>(open.values());
        open.clear();
        // A view's wrappers own the parent's stores, so a view closes only its decorator.
        wrapped.clear();
        for (ObjectStoreDecorator decorator : decorators) {
            if (decorator instanceof AutoCloseable closeable) {
                closing.add(closeable);
            }
        }
        for (AutoCloseable store : closing) {
            try {
                store.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IOException("closing stores failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
