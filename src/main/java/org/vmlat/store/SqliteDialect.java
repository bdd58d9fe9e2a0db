package org.vmlat.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * SQLite files: {@code sqlite:PATH} or a bare path. Writers share a file through the WAL journal
 * and a 30 s busy timeout; every transaction begins IMMEDIATE (takes the write lock at once), so
 * two vmlat processes queue rather than fail half-way.
 *
 * <p>Reading never leaves anything beside the file: a read-only connection to a WAL database
 * would leave {@code -wal}/{@code -shm} files behind, so a reader whose folder is writable opens
 * a normal connection in {@code query_only} mode (closing it removes them), and a reader whose
 * folder is not writable opens the file immutable (nobody can be writing it).
 */
final class SqliteDialect implements SqlDialect {
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final int BUSY_TIMEOUT_MS = 30_000;
    // SQLite's primary result codes (the low byte of an extended code)
    private static final int SQLITE_PERM = 3, SQLITE_READONLY = 8, SQLITE_IOERR = 10, SQLITE_CORRUPT = 11,
            SQLITE_FULL = 13, SQLITE_CANTOPEN = 14, SQLITE_NOTADB = 26;

    @Override
    public String scheme() {
        return "sqlite";
    }

    @Override
    public Connection connect(String location, boolean readOnly) {
        Path file = Path.of(location);
        Path folder = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) throw new StoreException(file + " is a folder, not a vmlat store file");
        if (Files.exists(file)) {
            refuseOtherFiles(file);
            if (!Files.isReadable(file)) throw new StoreException("cannot read the store " + file + ": permission denied");
            if (!readOnly && (!Files.isWritable(file) || folder != null && !Files.isWritable(folder))) {
                throw new StoreException("cannot write the store " + file + ": " + unwritable(file));
            }
        } else if (readOnly) {
            throw new StoreException("no store at " + file + " (vmlat lab run creates one; --store names another)");
        } else {
            try {
                if (folder != null) Files.createDirectories(folder);
            } catch (IOException e) {
                throw new StoreException("cannot create the store " + file + ": " + why(e), e);
            }
            if (folder != null && !Files.isWritable(folder)) throw new StoreException("cannot create the store " + file + ": " + unwritable(file));
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        String url = "jdbc:sqlite:" + file;
        boolean folderWritable = folder == null || Files.isWritable(folder);
        if (readOnly && !folderWritable) {
            config.setReadOnly(true);
            // without a journal to read, nobody is writing: read the file as it is, creating nothing
            if (!Files.exists(Path.of(file + "-wal"))) url = "jdbc:sqlite:" + file.toAbsolutePath().toUri() + "?immutable=1";
        }
        try {
            Connection c = config.createConnection(url);
            if (readOnly && folderWritable) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA query_only = ON");
                } catch (SQLException e) {
                    c.close();
                    throw e;
                }
            }
            return c;
        } catch (SQLException e) {
            String why = explain(e, location);
            throw new StoreException("cannot open the store " + file + ": " + (why == null ? e.getMessage() : why), e);
        }
    }

    /** Why a store cannot be written, from what the file system says. */
    private static String unwritable(Path file) {
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null && readOnlyFileSystem(folder)) return "it is on a read-only file system";
        if (Files.exists(file) && !Files.isWritable(file)) return "the file is read-only (permission denied)";
        return "its folder " + folder + " is not writable (permission denied)";
    }

    /** A file that is not empty and not SQLite is refused before SQLite touches it. */
    private static void refuseOtherFiles(Path file) {
        byte[] head = new byte[MAGIC.length];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new StoreException("cannot read the store " + file + ": " + why(e), e);
        }
        if (n > 0 && (n < MAGIC.length || !Arrays.equals(head, MAGIC))) {
            throw new StoreException(file + " is not a vmlat store (not an SQLite database); nothing was changed");
        }
    }

    private static String why(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason().toLowerCase(Locale.ROOT);
        return e.toString();
    }

    private static boolean readOnlyFileSystem(Path folder) {
        try {
            return Files.getFileStore(folder).isReadOnly();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void prepareNewStore(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            // readers never block the writer, and several processes can share the file
            s.execute("PRAGMA journal_mode = WAL");
        }
    }

    @Override
    public String generatedKey() {
        return "INTEGER PRIMARY KEY AUTOINCREMENT";
    }

    @Override
    public String bytesType() {
        return "BLOB";
    }

    @Override
    public String insertUnlessPresent(String table, String columns, String values) {
        return "INSERT OR IGNORE INTO " + table + " (" + columns + ") VALUES (" + values + ")";
    }

    @Override
    public String nowMs() {
        return "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
    }

    @Override
    public boolean isCatalogueTable(String name) {
        return name.toLowerCase(Locale.ROOT).startsWith("sqlite_");
    }

    @Override
    public boolean isDiskFull(SQLException e) {
        return (e.getErrorCode() & 0xff) == SQLITE_FULL;
    }

    @Override
    public Optional<Path> file(String location) {
        return Optional.of(Path.of(location).toAbsolutePath());
    }

    @Override
    public String explain(SQLException e, String location) {
        Path file = Path.of(location);
        return switch (e.getErrorCode() & 0xff) {
            case SQLITE_FULL -> "disk full (or the file reached its size limit)";
            case SQLITE_READONLY -> "cannot write: " + (Files.isWritable(file) && Files.isWritable(file.toAbsolutePath().getParent())
                    ? "the store was opened read-only" : unwritable(file));
            case SQLITE_PERM -> "permission denied";
            case SQLITE_CANTOPEN -> !Files.exists(file) ? "no such file"
                    : !Files.isReadable(file) ? "cannot read it (permission denied)"
                    // the journal files beside the store cannot be created
                    : !Files.isWritable(file.toAbsolutePath().getParent()) ? "cannot create its journal: " + unwritable(file)
                    : null;
            case SQLITE_NOTADB -> "not a vmlat store (not an SQLite database)";
            case SQLITE_CORRUPT -> "the store file is corrupt";
            case SQLITE_IOERR -> "input/output error (" + e.getMessage() + ")";
            default -> null;
        };
    }
}
