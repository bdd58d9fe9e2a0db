package org.vmlat.cli;

import org.vmlat.store.ResultStore;
import org.vmlat.store.SqlDialects;
import org.vmlat.store.StoreException;
import picocli.CommandLine.Option;

/** {@code --store}: where results live (a SQLite file by default). */
final class StoreOption {
    static final String DEFAULT = "vmlat-results/results.db";

    @Option(names = "--store", paramLabel = "URL", defaultValue = DEFAULT,
            description = "Results store: a SQLite file path, sqlite:PATH or postgresql://user@host:port/db (docs/fleet.md). Default: ${DEFAULT-VALUE}.")
    String store;

    /** Opens the store to read it: nothing is created or written, and a read-only store will do. */
    ResultStore open() {
        return ResultStore.openReadOnly(checkedUrl());
    }

    /** Opens the store to record runs, creating it if needed. */
    ResultStore openForWriting() {
        return ResultStore.open(checkedUrl());
    }

    private String checkedUrl() {
        try {
            SqlDialects.locate(store);
        } catch (StoreException e) {
            throw new VmlatException(ExitCodes.USAGE, "--store: " + e.getMessage());
        }
        return store;
    }
}
