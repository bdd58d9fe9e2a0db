package org.vmlat.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vmlat.store.ResultStore;
import org.vmlat.store.StoreCopy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "store", mixinStandardHelpOptions = true, header = "Move runs between stores.", subcommands = {StoreCommand.Copy.class})
public final class StoreCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "copy", mixinStandardHelpOptions = true, header = "Copy runs from one store to another.",
            description = {"Copies runs (all, or --run N) with their scenarios, every attempt's results, histograms, settings and",
                "spikes as stored, e.g. a SQLite file into a PostgreSQL lab (postgresql://user@host/db) or back. The copies get",
                "new run ids in TO; each run is copied in one transaction."},
            footer = ExitCodes.FOOTER)
    static final class Copy implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FROM", description = "Store to read: a SQLite file, sqlite:PATH or postgresql://...")
        String from;

        @Parameters(index = "1", paramLabel = "TO", description = "Store to write (created if needed).")
        String to;

        @Option(names = "--run", paramLabel = "N", description = "Copy only this run (repeatable).")
        List<Long> runs = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (ResultStore source = ResultStore.openReadOnly(from); ResultStore target = ResultStore.open(to)) {
                Map<Long, Long> copied = StoreCopy.copy(source, target, runs);
                copied.forEach((a, b) -> out.printf("run %d of %s -> run %d of %s%n", a, source.location(), b, target.location()));
                out.printf("%d run(s) copied%n", copied.size());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
