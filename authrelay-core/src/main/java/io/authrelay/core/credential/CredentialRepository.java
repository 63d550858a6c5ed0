package io.authrelay.core.credential;

import java.util.List;
import java.util.Optional;

/** Storage port for credential metadata; the secret parts live in the sealed-secret store. */
public interface CredentialRepository {
    void upsert(Credential credential);

    Optional<Credential> find(String provider);

    List<Credential> list();

    boolean delete(String provider);
}
