package io.authrelay.server.sql;

import static io.authrelay.server.sql.SqlCredentialRepository.instant;
import static io.authrelay.server.sql.SqlCredentialRepository.millis;

import io.authrelay.core.oauth.OAuthSettings;
import io.authrelay.core.provider.CliSettings;
import io.authrelay.core.provider.Degradation;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderKind;
import io.authrelay.core.provider.ProviderRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.Update;
import tools.jackson.databind.json.JsonMapper;

public final class SqlProviderRepository implements ProviderRepository {
    /** OAuth settings are stored as one JSON column: they are read whole and never queried by field. */
    private static final JsonMapper CONFIG = JsonMapper.builder().build();

    private final Database db;
    private final ReadCache<String, Provider> cache;

    public SqlProviderRepository(Database db) {
        this.db = db;
        this.cache = new ReadCache<>(db, "provider");
    }

    @Override
    public boolean insert(Provider p) {
        return cache.write(h -> bind(h.createUpdate("""
                INSERT INTO provider(name, kind, host, username, config, degraded_reason, degraded_since, allow_http, created_at)
                VALUES (:name, :kind, :host, :username, :config, :degradedReason, :degradedSince, :allowHttp, :createdAt)
                ON CONFLICT(name) DO NOTHING"""), p)
                        .bind("createdAt", p.createdAt().toEpochMilli())
                        .execute())
                == 1;
    }

    @Override
    public boolean update(Provider p) {
        return cache.write(h -> bind(h.createUpdate("""
                UPDATE provider SET kind = :kind, host = :host, username = :username, config = :config,
                    degraded_reason = :degradedReason, degraded_since = :degradedSince, allow_http = :allowHttp
                WHERE name = :name"""), p).execute()) == 1;
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
        return cache.revoke(h -> h.createUpdate("DELETE FROM provider WHERE name = :name")
                        .bind("name", name)
                        .execute())
                == 1;
    }

    private static Update bind(Update update, Provider p) {
        Degradation degradation = p.degradation();
        return update.bind("name", p.name())
                .bind("kind", p.kind().wireName())
                .bind("host", p.host())
                .bind("username", p.username())
                .bind("config", config(p))
                .bind("degradedReason", degradation == null ? null : BoundedText.cap(degradation.reason(), 1024))
                .bind("degradedSince", degradation == null ? null : millis(degradation.since()))
                .bind("allowHttp", p.allowHttp() ? 1 : 0);
    }

    /** The kind's own settings as JSON: OAuth endpoints for device-flow kinds, the driver and mode for AI CLIs. */
    private static String config(Provider p) {
        if (p.oauth() != null) return CONFIG.writeValueAsString(p.oauth());
        if (p.cli() != null) return CONFIG.writeValueAsString(p.cli());
        return null;
    }

    private static Provider map(ResultSet rs) throws SQLException {
        String config = rs.getString("config");
        String degradedReason = rs.getString("degraded_reason");
        ProviderKind kind = ProviderKind.fromWire(rs.getString("kind"));
        boolean cli = kind == ProviderKind.CLI_LOGIN;
        return new Provider(
                rs.getString("name"),
                kind,
                rs.getString("host"),
                rs.getString("username"),
                config == null || cli ? null : CONFIG.readValue(config, OAuthSettings.class),
                instant(rs, "created_at"),
                degradedReason == null ? null : new Degradation(degradedReason, instant(rs, "degraded_since")),
                rs.getInt("allow_http") == 1,
                cli ? CONFIG.readValue(config, CliSettings.class) : null);
    }
}
