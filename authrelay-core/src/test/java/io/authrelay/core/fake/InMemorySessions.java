package io.authrelay.core.fake;

import io.authrelay.core.login.LoginSession;
import io.authrelay.core.login.LoginSessionRepository;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

public final class InMemorySessions implements LoginSessionRepository {
    private final Map<String, LoginSession> sessions = new ConcurrentHashMap<>();

    @Override
    public synchronized boolean insertIfNoneActive(LoginSession session) {
        if (findActive(session.provider()).isPresent()) return false;
        sessions.put(session.id(), session);
        return true;
    }

    @Override
    public Optional<LoginSession> find(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    @Override
    public Optional<LoginSession> findActive(String provider) {
        return active().stream().filter(s -> s.provider().equals(provider)).findFirst();
    }

    @Override
    public boolean updateIfActive(LoginSession updated) {
        LoginSession stored = sessions.get(updated.id());
        return stored != null && !stored.status().isTerminal() && sessions.replace(updated.id(), stored, updated);
    }

    @Override
    public List<LoginSession> recent(String provider, int limit) {
        return newestFirst()
                .filter(s -> provider == null || s.provider().equals(provider))
                .limit(limit)
                .toList();
    }

    @Override
    public List<LoginSession> active() {
        return newestFirst().filter(s -> !s.status().isTerminal()).toList();
    }

    @Override
    public long countActive() {
        return active().size();
    }

    @Override
    public int deleteFor(String provider) {
        List<LoginSession> gone = recent(provider, Integer.MAX_VALUE);
        gone.forEach(s -> sessions.remove(s.id()));
        return gone.size();
    }

    private java.util.stream.Stream<LoginSession> newestFirst() {
        return sessions.values().stream()
                .sorted(Comparator.comparing(LoginSession::createdAt).reversed());
    }
}
