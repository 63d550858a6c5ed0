package io.authrelay.server.sql;

import io.authrelay.core.oauth.OAuthSettings;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderKind;
import io.authrelay.core.provider.ProviderRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

public final class SqlProviderRepository implements ProviderRepository {
    /** OAuth settings are stored as one JSON column: they are read whole and never queried by field. */
    private static final JsonMapper CONFIG = JsonMapper.builder().build();

    private final Database db;
    private final ReadCache<String, Provider> cache;

    public SqlProviderRepository(Database db) {
        this.db = db;
        this.cache = new ReadCache<>(db);
    }

    @Override
    public boolean insert(Provider p) {
        return cache.write(h -> h.createUpdate("""
                INSERT INTO provider(name, kind, host, username, config, created_at) VALUES (:name, :kind, :host, :username, :config, :createdAt)
                ON CONFLICT(name) DO NOTHING""")
                        .bind("name", p.name())
                        .bind("kind", p.kind().wireName())
                        .bind("host", p.host())
                        .bind("config", p.oauth() == null ? null : CONFIG.writeValueAsString(p.oauth()))
                        .bind("username", p.username())
                        .bind("createdAt", p.createdAt().toEpochMilli())
                        .execute())
                == 1;
    }

    @Override
    public Optional<Provider> find(String name) {
        return cache.get(
                name,
                () -> db.with(h -> h.createQuery("SELECT * FROM provider WHERE name = :name")
                        .bind("name", name)
                        .map((rs, ctx) -> map(rs))
                        .findOne()));
    }

    @Override
    public List<Provider> list() {
        return db.with(h -> h.createQuery("SELECT * FROM provider ORDER BY name")
                .map((rs, ctx) -> map(rs))
                .list());
    }

    @Override
    public boolean delete(String name) {
        return cache.write(h -> h.createUpdate("DELETE FROM provider WHERE name = :name")
                        .bind("name", name)
                        .execute())
                == 1;
    }

    private static Provider map(ResultSet rs) throws SQLException {
        String config = rs.getString("config");
        return new Provider(
                rs.getString("name"),
                ProviderKind.fromWire(rs.getString("kind")),
                rs.getString("host"),
                rs.getString("username"),
                config == null ? null : CONFIG.readValue(config, OAuthSettings.class),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }
}
