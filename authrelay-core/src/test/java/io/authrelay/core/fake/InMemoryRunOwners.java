package io.authrelay.core.fake;

import io.authrelay.core.clilogin.RunOwners;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Run owners of several replicas in one map: each replica's view is {@link #of(String)}. */
public final class InMemoryRunOwners {
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final Set<String> alive = ConcurrentHashMap.newKeySet();
    private final Map<String, String> addresses = new ConcurrentHashMap<>();

    /** A replica that is alive, with an address. */
    public InMemoryRunOwners replica(String name, String address) {
        alive.add(name);
        addresses.put(name, address);
        return this;
    }

    /** Its heartbeat stops. */
    public void dies(String name) {
        alive.remove(name);
    }

    public Optional<String> ownerOf(String sessionId) {
        return Optional.ofNullable(owners.get(sessionId));
    }

    /** The port as replica {@code self} sees it. */
    public RunOwners of(String self) {
        alive.add(self);
        return new RunOwners() {
            @Override
            public void claim(String sessionId) {
                owners.put(sessionId, self);
            }

            @Override
            public void release(String sessionId) {
                owners.remove(sessionId);
            }

            @Override
            public Optional<Owner> ownerOf(String sessionId) {
                return Optional.ofNullable(owners.get(sessionId))
                        .map(o -> new Owner(o, addresses.get(o), o.equals(self), o.equals(self) || alive.contains(o)));
            }
        };
    }
}
