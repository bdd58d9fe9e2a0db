package org.vmlat.cli;

import java.nio.file.Path;
import org.vmlat.store.ResultStore;
import picocli.CommandLine.Option;

/** {@code --store}: where results live (a SQLite file by default). */
final class StoreOption {
    static final String DEFAULT = "vmlat-results/results.db";

    @Option(names = "--store", paramLabel = "FILE", defaultValue = DEFAULT,
            description = "Results store: a SQLite file. Default: ${DEFAULT-VALUE}.")
    String store;

    ResultStore open() {
        if (store.startsWith("postgresql:") || store.startsWith("jdbc:")) {
            throw new VmlatException(ExitCodes.USAGE, "--store: only SQLite files are supported so far (a shared PostgreSQL store comes with multi-host labs)");
        }
        return ResultStore.openSqlite(Path.of(store));
    }
}
