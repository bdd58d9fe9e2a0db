package org.vmlat.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vmlat.os.VmlatDirs;
import org.vmlat.store.ResultStore;
import org.vmlat.store.SqlDialects;
import org.vmlat.store.StoreException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --store}: where results live. Without it, the per-user store
 * ({@code $XDG_DATA_HOME/vmlat/results.db}, else {@code ~/.local/share/vmlat/results.db}); a store
 * left in the current folder by an older vmlat ({@code vmlat-results/results.db}) is still used
 * when present, and every command that opens it says so: results are never moved silently.
 */
final class StoreOption {
    /** The default of vmlat versions that kept results in the current folder. */
    static final String IN_CURRENT_FOLDER = "vmlat-results/results.db";
    static final String DEFAULT_DESCRIPTION = "Default: ~/.local/share/vmlat/results.db ($XDG_DATA_HOME/vmlat), "
            + "or " + IN_CURRENT_FOLDER + " when the current folder has one (an older vmlat's default; a note says so).";

    @Option(names = "--store", paramLabel = "URL",
            description = "Results store: a SQLite file path, sqlite:PATH or postgresql://user@host:port/db (docs/fleet.md). " + DEFAULT_DESCRIPTION)
    String store;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** The per-user store's file. */
    static Path perUser() {
        return VmlatDirs.data("results.db");
    }

    /** Opens the store to read it: nothing is created or written, and a read-only store will do. */
    ResultStore open() {
        return ResultStore.openReadOnly(checkedUrl());
    }

    /** Opens the store to record runs, creating it if needed. */
    ResultStore openForWriting() {
        return ResultStore.open(checkedUrl());
    }

    /** The store's URL as given, or the default chosen (with the note when it is the current folder's). */
    String url() {
        if (store != null) return store;
        if (Files.exists(Path.of(IN_CURRENT_FOLDER))) {
            PrintWriter err = mixee != null ? mixee.commandLine().getErr() : new PrintWriter(System.err, true);
            err.println("vmlat: note: using " + IN_CURRENT_FOLDER + " in the current folder, where vmlat kept results before; the default is now "
                    + perUser() + " (move the file there to use it from any folder, or name it with --store)");
            err.flush();
            store = IN_CURRENT_FOLDER;
        } else {
            store = perUser().toString();
        }
        return store;
    }

    private String checkedUrl() {
        String url = url();
        try {
            SqlDialects.locate(url);
        } catch (StoreException e) {
            throw new VmlatException(ExitCodes.USAGE, "--store: " + e.getMessage());
        }
        return url;
    }
}
