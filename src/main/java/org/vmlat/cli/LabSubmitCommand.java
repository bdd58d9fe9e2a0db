package org.vmlat.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vmlat.lab.LabService;
import org.vmlat.lab.Plan;
import org.vmlat.os.SystemFacts;
import org.vmlat.os.SystemFactsReader;
import org.vmlat.store.ResultStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "submit", mixinStandardHelpOptions = true, header = "Store a plan's run as pending work for lab workers.",
        description = {"Expands the plan and stores the run and its scenarios as pending work; `vmlat lab worker` processes on",
            "any number of machines claim and measure them (docs/fleet.md). Prints the run's id."},
        footer = ExitCodes.FOOTER)
final class LabSubmitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PLAN", description = "Plan file (TOML, see docs/lab.md).")
    Path planFile;

    @Mixin
    StoreOption storeOption;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SystemFacts facts = SystemFactsReader.live();
        long runId;
        try (ResultStore store = storeOption.openForWriting()) {
            runId = new LabService(Tools.builtinLoadCommand(), Tools::versions).submit(planFile, store, facts);
            out.printf("run %d submitted: %d scenarios pending (vmlat lab status %d --store %s)%n", runId,
                    store.run(runId).scenarios(), runId, store.location());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
