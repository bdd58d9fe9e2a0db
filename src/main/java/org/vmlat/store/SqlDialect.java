package org.vmlat.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Everything the store says differently to one kind of database: how to reach it from a store
 * URL, the few column types and statements that have no portable spelling, its own catalogue
 * tables, and what its error codes mean. {@link ResultStore} and the {@link Migrations} write
 * portable SQL and ask the dialect for the rest.
 *
 * <p>A dialect is found by the scheme of the store URL ({@code sqlite:results.db}); to add one,
 * implement this interface in the store room and register it in {@link SqlDialects}.
 */
public interface SqlDialect {
    /** The URL scheme that selects this dialect, e.g. {@code sqlite}. */
    String scheme();

    /**
     * Connects to the database at {@code location} (the store URL without its scheme). A writable
     * connection may create an empty database; a read-only one never creates or changes anything
     * and works on a store nobody may write. Transactions opened on the connection take the write
     * lock at once, so that a transaction never fails half-way because another writer came first.
     *
     * @throws StoreException naming the location and why it cannot be used (no such store,
     *                        permission, read-only, not a database of this kind)
     */
    Connection connect(String location, boolean readOnly);

    /** Settings a new store keeps for good (SQLite: the WAL journal); runs before the first table. */
    void prepareNewStore(Connection db) throws SQLException;

    /** The column definition of a generated 64-bit primary key, e.g. {@code id <this>}. */
    String generatedKey();

    /** The type of a column of bytes (encoded histograms). */
    String bytesType();

    /** An INSERT of {@code values} into {@code table (columns)} that does nothing when the key exists. */
    String insertUnlessPresent(String table, String columns, String values);

    /** Whether a table the catalogue lists belongs to the database itself, not to any store. */
    boolean isCatalogueTable(String name);

    /**
     * Why a statement on the store at {@code location} failed, said for the user (e.g. {@code disk
     * full}, {@code it is on a read-only file system}), or null when the database's own message
     * says it well enough.
     */
    String explain(SQLException e, String location);

    /** Whether a statement failed because the database's disk is full. */
    boolean isDiskFull(SQLException e);

    /** The file the database lives in, when it is one file on this machine (SQLite), else empty. */
    default Optional<Path> file(String location) {
        return Optional.empty();
    }

    /** An SQL expression for the database's clock in milliseconds since the epoch: one clock for every worker. */
    String nowMs();

    /**
     * What follows a SELECT of rows the transaction is about to change so that no other
     * transaction changes them meanwhile ({@code FOR UPDATE}); empty where every transaction
     * already holds the whole store (SQLite).
     */
    default String lockingRead() {
        return "";
    }

    /** As {@link #lockingRead}, skipping rows another transaction holds ({@code FOR UPDATE SKIP LOCKED}). */
    default String lockingReadSkipLocked() {
        return "";
    }

    /**
     * Tries to take a lock named {@code key} until the current transaction ends; false when
     * another transaction holds it. A database whose transactions hold the whole store takes it
     * always.
     */
    default boolean tryLockUntilCommit(Connection db, String key) throws SQLException {
        return true;
    }

    /** Serialises schema changes between processes that open the same new or older store at once. */
    default void lockForSchemaChange(Connection db) throws SQLException {}

    /**
     * Whether the failure means the connection is gone (server restarted, network cut) rather than
     * a fault of the statement: then a new connection and the same transaction again may succeed.
     */
    default boolean connectionLost(SQLException e) {
        return false;
    }

    /** The store as messages name it, e.g. a file path, or the URL that reaches it again. */
    default String display(String location) {
        return location;
    }

    /**
     * Whether machines other than this one reach the store (a database server): a lab run then
     * goes through the work queue, so that workers elsewhere can help with it.
     */
    default boolean sharedByMachines() {
        return false;
    }
}
