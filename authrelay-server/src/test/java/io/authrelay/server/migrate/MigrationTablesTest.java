package io.authrelay.server.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.sql.Database;
import io.authrelay.server.testing.TestDatabase;
import io.authrelay.server.testing.TestPostgres;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every table this build's migrations create is either copied by {@code authrelay migrate} or excluded on purpose: a
 * table a later migration adds fails here until {@link MigrationTables} names it. The copy order inserts parents
 * before children, as PostgreSQL's foreign keys demand inside the one transaction.
 */
class MigrationTablesTest {
    @RegisterExtension
    static final TestPostgres postgres = new TestPostgres();

    @TempDir
    Path dir;

    @Test
    void everyTableOfBothSchemasIsCopiedOrExcluded() {
        Set<String> expected = new HashSet<>(MigrationTables.COPIED);
        expected.addAll(MigrationTables.EXCLUDED.keySet());
        try (Database sqlite = TestDatabase.SQLITE.open(dir)) {
            assertThat(sqlite.<Set<String>>with(h -> h.createQuery("SELECT name FROM sqlite_master WHERE type = 'table'"
                                    + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
                            .mapTo(String.class)
                            .set()))
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        try (Database pg = Database.openPostgres(postgres.url(), TestPostgres.PASSWORD)) {
            assertThat(pg.<Set<String>>with(h -> h.createQuery("SELECT table_name FROM information_schema.tables"
                                    + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
                            .mapTo(String.class)
                            .set()))
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(MigrationTables.COPIED)
                .containsAll(MigrationTables.OPERATOR_DATA)
                .doesNotHaveDuplicates();
    }

    @Test
    void eachTableIsCopiedAfterTheTablesItReferences() {
        record Reference(String child, String parent) {}
        List<Reference> references;
        try (Database pg = Database.openPostgres(postgres.url(), TestPostgres.PASSWORD)) {
            references = pg.with(h -> h.createQuery("SELECT child.relname AS child, parent.relname AS parent"
                            + " FROM pg_constraint c JOIN pg_class child ON child.oid = c.conrelid"
                            + " JOIN pg_class parent ON parent.oid = c.confrelid WHERE c.contype = 'f'")
                    .map((rs, ctx) -> new Reference(rs.getString("child"), rs.getString("parent")))
                    .list());
        }
        assertThat(references).isNotEmpty();
        for (Reference reference : references) {
            assertThat(MigrationTables.COPIED.indexOf(reference.parent()))
                    .as(reference.child() + " references " + reference.parent())
                    .isLessThan(MigrationTables.COPIED.indexOf(reference.child()));
        }
    }
}
