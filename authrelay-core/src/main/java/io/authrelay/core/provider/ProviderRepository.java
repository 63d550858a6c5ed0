package io.authrelay.core.provider;

import java.util.List;
import java.util.Optional;

/** Storage port for providers. */
public interface ProviderRepository {
    /** @return false when a provider of that name already exists */
    boolean insert(Provider provider);

    Optional<Provider> find(String name);

    List<Provider> list();

    boolean delete(String name);
}
