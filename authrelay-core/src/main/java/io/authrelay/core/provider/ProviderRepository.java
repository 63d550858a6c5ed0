package io.authrelay.core.provider;

import java.util.List;
import java.util.Optional;

/** Storage port for providers. */
public interface ProviderRepository {
    /** @return false when a provider of that name already exists */
    boolean insert(Provider provider);

    /**
     * Rewrites the stored provider of that name in place (its creation time stays), so the rows that hang on it,
     * its credential, grants and logins, are kept. @return false when there is none
     */
    boolean update(Provider provider);

    Optional<Provider> find(String name);

    List<Provider> list();

    boolean delete(String name);
}
