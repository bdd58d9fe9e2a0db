package org.vmlat.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One numbered change of the store's schema: applied once, in order, inside the transaction that
 * also records the new version, so a store is always at exactly one version.
 *
 * @param version the schema version the store has after this change (1, 2, ...)
 * @param what    what changes, for the reader of the list
 */
record Migration(int version, String what, Step step) {
    /** The statements of a change, in the dialect's words where SQL has no portable spelling. */
    @FunctionalInterface
    interface Step {
        void apply(Connection db, SqlDialect dialect) throws SQLException;
    }

    Migration {
        if (version < 1) throw new IllegalArgumentException("version: must be 1 or more, got " + version);
        if (what == null || what.isBlank()) throw new IllegalArgumentException("what: must say what changes");
    }
}
