package org.vmlat.report;

import java.util.ArrayList;
import java.util.List;
import org.vmlat.latency.Percentiles;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.store.RunRecord;
import org.vmlat.store.ScenarioRecord;

/**
 * One row per scenario and thread: the scenario's number and plan dimensions, its status, the
 * thread's figures in integer ns (mean rounded; empty without samples) and whether it ran
 * real-time. Dimension names and values are quoted as RFC 4180 asks ({@link Csv}).
 */
final class CsvExport implements ExportFormat {
    @Override
    public String name() {
        return "csv";
    }

    @Override
    public String description() {
        return "one row per scenario and thread";
    }

    @Override
    public String write(RunRecord run, List<ScenarioRecord> scenarios, ThreadResults threads) {
        StringBuilder sb = new StringBuilder();
        List<String> dims = scenarios.isEmpty() ? List.of() : new ArrayList<>(scenarios.get(0).dims().keySet());
        sb.append("scenario");
        for (String d : dims) sb.append(',').append(Csv.field(d));
        sb.append(",status,thread,cpu,interval_ns,count,overruns,min_ns");
        for (double p : Percentiles.STANDARD) sb.append(',').append(Percentiles.label(p).replace('.', '_')).append("_ns");
        sb.append(",max_ns,mean_ns,realtime\n");
        for (ScenarioRecord s : scenarios) {
            for (ThreadSummary t : s.threads()) {
                sb.append(s.index() + 1);
                for (String d : dims) sb.append(',').append(Csv.field(s.dims().get(d)));
                sb.append(',').append(s.status().storedName()).append(',').append(t.thread()).append(',').append(t.cpu()).append(',').append(t.intervalNs())
                        .append(',').append(t.count()).append(',').append(t.overruns()).append(',').append(t.minNs());
                for (double p : Percentiles.STANDARD) sb.append(',').append(t.percentileNs(p));
                sb.append(',').append(t.maxNs()).append(',').append(t.count() == 0 ? "" : Long.toString(Math.round(t.meanNs())))
                        .append(',').append(s.realtime()).append('\n');
            }
        }
        return sb.toString();
    }
}
