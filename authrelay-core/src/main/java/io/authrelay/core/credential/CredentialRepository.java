package io.authrelay.core.credential;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Storage port for credential metadata; the secret parts live in the sealed-secret store. */
public interface CredentialRepository {
    /** Writes unconditionally: a new connection or a new static secret. The stored version becomes one higher than before. */
    void upsert(Credential credential);

    Optional<Credential> find(String provider);

    List<Credential> list();

    boolean delete(String provider);

    /** Stores {@code updated} only if the stored version is still {@code expectedVersion}. */
    boolean compareAndSet(Credential updated, long expectedVersion);

    /**
     * Takes the right to refresh this credential until {@code until}, only if its version is still
     * {@code expectedVersion} and nobody else holds an unexpired claim. Holds across replicas.
     */
    boolean claimRefresh(String provider, long expectedVersion, String owner, Instant until, Instant now);

    void releaseRefresh(String provider, String owner);
}
