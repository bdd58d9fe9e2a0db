package org.vmlat.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vmlat.lab.LabService;
import org.vmlat.os.SystemFactsReader;
import org.vmlat.report.LimitCheck.Outcome;
import org.vmlat.store.ResultStore;
import org.vmlat.lab.LabWorker;
import org.vmlat.targets.TargetUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "worker", mixinStandardHelpOptions = true, header = "Claim and measure submitted scenarios.",
        description = {"Claims the scenarios of submitted runs that this machine can serve (its --targets, those whose check",
            "passes here), one at a time, measuring each as `lab run` does and committing it. Holds a lease renewed while it",
            "measures; a worker killed outright loses it and its scenario is claimed again when the lease expires",
            "(30 s). Ctrl-C or SIGTERM keeps the current scenario as partial, claimable again."},
        footer = ExitCodes.FOOTER)
final class LabWorkerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption storeOption;

    @Option(names = "--targets", split = ",", paramLabel = "NAMES", description = "Serve only these targets of the plans (default: all it can).")
    List<String> targets = new ArrayList<>();

    @Option(names = "--max", paramLabel = "N", defaultValue = "0", description = "Stop after N scenarios (0: no limit).")
    int max;

    @Option(names = "--until-idle", description = "Stop once no submitted run has work left.")
    boolean untilIdle;

    @Option(names = "--run", paramLabel = "RUN", description = "Serve only this run.")
    Long run;

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    @Option(names = "--cyclictest", defaultValue = "cyclictest", description = "cyclictest executable. Default: ${DEFAULT-VALUE}.")
    String cyclictest;

    @Override
    public Integer call() {
        if (max < 0) throw new VmlatException(ExitCodes.USAGE, "--max: expected 0 (no limit) or more, got " + max);
        PrintWriter out = spec.commandLine().getOut();
        LabProgressLine progress = new LabProgressLine(out, spec.commandLine().getErr(), !quiet && System.console() != null);
        LabWorker.Outcome o;
        String where;
        try (ResultStore store = storeOption.openForWriting()) {
            where = store.location();
            o = new LabService(Tools.builtinLoadCommand(), Tools::versions).work(store, new LabWorker.Options(targets, max, untilIdle, run),
                    cyclictest, SystemFactsReader.live(), progress);
        } catch (TargetUnavailableException e) {
            throw new VmlatException(ExitCodes.ENVIRONMENT, e.getMessage(), e);
        }
        progress.clear();
        out.printf("worker measured %d scenario(s): %d done, %d failed%s; results in %s%n", o.ran(), o.done(), o.failed(), o.interrupted() ? ", stopped" : "",
                where);
        out.flush();
        return o.failed() > 0 ? ExitCodes.ERROR : ExitCodes.OK;
    }
}
