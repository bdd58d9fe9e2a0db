package org.vmlat.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.store.RunRecord;
import org.vmlat.store.ScenarioRecord;

/** The store's runs in one table, and one run's settings and scenarios with their figures in us. */
public final class RunListing {
    private RunListing() {}

    public static String runs(List<RunRecord> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (RunRecord r : runs) {
            rows.add(List.of(Long.toString(r.id()), r.name() == null ? "" : r.name(), Instant.ofEpochMilli(r.startedMs()).toString(),
                    r.status().storedName(), r.done() + "/" + r.scenarios(), Integer.toString(r.failed())));
        }
        return Table.render(List.of("run", "name", "started", "status", "done", "failed"), rows);
    }

    /**
     * The run's plan, system and tools, then per scenario its dimensions, status, count, missed
     * periods and min, p99, max and mean over its threads (p99 the largest thread p99), then
     * every failure reason and warning.
     */
    public static String show(RunRecord r, List<ScenarioRecord> all) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "# run %d: %s, plan %s, %s, started %s%s%n", r.id(), TerminalText.inert(r.name()), TerminalText.inert(r.planFile()), r.status().storedName(),
                Instant.ofEpochMilli(r.startedMs()), r.endedMs() > 0 ? ", ended " + Instant.ofEpochMilli(r.endedMs()) : ""));
        out.append(String.format(Locale.ROOT, "# system: %s %s, clocksource %s, virtualization %s%n", r.system().getOrDefault("kernel.release", "?"),
                r.system().getOrDefault("kernel.preemption", "?"), r.system().getOrDefault("clocksource", "?"),
                r.system().getOrDefault("virtualization", "?")));
        r.tools().forEach((k, v) -> out.append(String.format(Locale.ROOT, "# %s: %s%n", k, v)));
        List<String> header = new ArrayList<>(List.of("#"));
        if (!all.isEmpty()) header.addAll(all.get(0).dims().keySet());
        header.addAll(List.of("status", "count", "missed", "min", "p99", "max", "mean"));
        List<List<String>> rows = new ArrayList<>();
        for (ScenarioRecord sc : all) rows.add(row(sc));
        out.append(Table.render(header, rows));
        for (ScenarioRecord sc : all) {
            if (sc.reason() != null) out.append(String.format(Locale.ROOT, "scenario %d: %s%n", sc.index() + 1, TerminalText.inert(sc.reason())));
            for (String w : sc.warnings()) out.append(String.format(Locale.ROOT, "scenario %d: warning: %s%n", sc.index() + 1, TerminalText.inert(w)));
        }
        out.append("Latencies in us. Probe and load command lines: vmlat runs export ").append(r.id()).append(" --format json\n");
        return out.toString();
    }

    private static List<String> row(ScenarioRecord sc) {
        List<String> row = new ArrayList<>();
        row.add(Integer.toString(sc.index() + 1));
        row.addAll(sc.dims().values());
        row.add(sc.status().storedName() + (sc.realtime() || sc.threads().isEmpty() ? "" : " NON-RT"));
        long count = sc.count(), min = Long.MAX_VALUE, p99 = -1, max = -1;
        double sum = 0;
        for (ThreadSummary t : sc.threads()) {
            if (t.count() == 0) continue;
            min = Math.min(min, t.minNs());
            p99 = Math.max(p99, t.percentileNs(99));
            max = Math.max(max, t.maxNs());
            sum += t.sumNs();
        }
        row.add(Long.toString(count));
        row.add(sc.threads().stream().anyMatch(t -> t.overruns() < 0) ? "?" : Long.toString(sc.overruns()));
        row.add(count == 0 ? "-" : Micros.of(min));
        row.add(Micros.of(p99));
        row.add(Micros.of(max));
        row.add(count == 0 ? "-" : Micros.of(sum / count));
        return row;
    }
}
