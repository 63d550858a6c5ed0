package io.authrelay.server.scheduler;

import com.github.kagkarlsson.scheduler.jdbc.SqliteJdbcCustomization;

/**
 * db-scheduler's lock-and-fetch on SQLite: due executions are picked in one transaction per batch instead of one
 * commit each. SQLite has no {@code SELECT ... FOR UPDATE}, and needs none: the pool opens every transaction with
 * {@code BEGIN IMMEDIATE} ({@code Database.openSqlite}), so the transaction that selects the due rows already holds
 * the database's one write lock when it marks them picked, and no other connection can pick them in between.
 */
final class SqliteLockAndFetch extends SqliteJdbcCustomization {
    @Override
    public boolean supportsGenericLockAndFetch() {
        return true;
    }

    @Override
    public String createGenericSelectForUpdateQuery(
            String tableName, int limit, String requiredAndCondition, boolean orderByPriority) {
        return createSelectDueQuery(tableName, limit, requiredAndCondition, orderByPriority);
    }
}
