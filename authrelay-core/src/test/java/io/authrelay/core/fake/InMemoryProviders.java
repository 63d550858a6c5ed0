package io.authrelay.core.fake;

import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderRepository;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

public final class InMemoryProviders implements ProviderRepository {
    private final Map<String, Provider> providers = new ConcurrentSkipListMap<>();

    @Override
    public boolean insert(Provider provider) {
        return providers.putIfAbsent(provider.name(), provider) == null;
    }

    @Override
    public boolean update(Provider provider) {
        return providers.replace(provider.name(), provider) != null;
    }

    @Override
    public Optional<Provider> find(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    @Override
    public List<Provider> list() {
        return List.copyOf(providers.values());
    }

    @Override
    public boolean delete(String name) {
        return providers.remove(name) != null;
    }
}
