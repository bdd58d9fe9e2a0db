package org.vmlat.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.Callable;
import org.vmlat.report.Table;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioStatus;
import org.vmlat.store.WorkQueue;
import java.time.Instant;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true, header = "Where a run's scenarios stand across workers.",
        description = "Counts done, running (on which worker, since when), pending, partial and failed scenarios; lists the running and failed ones.")
final class LabStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN")
    long runId;

    @Mixin
    StoreOption storeOption;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ResultStore store = storeOption.open()) {
            var run = store.run(runId);
            List<WorkQueue.Item> items = new WorkQueue(store).items(runId);
            Map<ScenarioStatus, Integer> counts = new EnumMap<>(ScenarioStatus.class);
            for (ScenarioStatus st : ScenarioStatus.values()) counts.put(st, 0);
            items.forEach(i -> counts.merge(i.status(), 1, Integer::sum));
            out.printf(Locale.ROOT, "run %d (%s): %s; %d scenarios: %d done, %d running, %d pending, %d partial, %d failed%n", runId, run.name(),
                    run.status().storedName(), items.size(), counts.get(ScenarioStatus.DONE), counts.get(ScenarioStatus.RUNNING),
                    counts.get(ScenarioStatus.PENDING), counts.get(ScenarioStatus.PARTIAL), counts.get(ScenarioStatus.FAILED));
            List<List<String>> rows = new ArrayList<>();
            for (WorkQueue.Item i : items) {
                if (i.status() != ScenarioStatus.RUNNING && i.status() != ScenarioStatus.FAILED) continue;
                String where = i.owner() == null ? "-" : i.owner();
                String lease = i.status() != ScenarioStatus.RUNNING ? "" : i.leaseLeftMs() >= 0
                        ? String.format(Locale.ROOT, "%.1f s left", i.leaseLeftMs() / 1000.0) : "expired (claimable again)";
                rows.add(List.of(Integer.toString(i.index() + 1), i.target(), i.status().storedName(), where,
                        i.startedMs() > 0 ? Instant.ofEpochMilli(i.startedMs()).toString() : "-", lease, Integer.toString(i.attempt()),
                        i.reason() == null ? "" : i.reason()));
            }
            if (!rows.isEmpty()) {
                out.print(Table.render(List.of("#", "target", "status", "worker", "since", "lease", "attempt", "reason"), rows));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
