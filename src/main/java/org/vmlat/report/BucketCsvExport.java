package org.vmlat.report;

import java.util.ArrayList;
import java.util.List;
import org.vmlat.latency.LatencyDistribution;
import org.vmlat.latency.ThreadResult;
import org.vmlat.store.RunRecord;
import org.vmlat.store.ScenarioRecord;

/**
 * The histograms in tidy form, for pandas and R: one row per scenario, thread and non-empty
 * bucket, every sample of the bucket in {@code low_ns <= L < high_ns} (the bucket
 * {@link LatencyDistribution} reads percentiles from: cyclictest's whole microsecond, or
 * HdrHistogram's bucket for ns sources). Samples the source counted beyond its histogram are one
 * last row per thread with {@code overflow} true, from the histogram's end to the maximum.
 */
final class BucketCsvExport implements ExportFormat {
    @Override
    public String name() {
        return "buckets";
    }

    @Override
    public String description() {
        return "one row per scenario, thread and histogram bucket (tidy, for pandas)";
    }

    @Override
    public String write(RunRecord run, List<ScenarioRecord> scenarios, ThreadResults threads) {
        StringBuilder sb = new StringBuilder("scenario");
        List<String> dims = scenarios.isEmpty() ? List.of() : new ArrayList<>(scenarios.get(0).dims().keySet());
        for (String d : dims) sb.append(',').append(Csv.field(d));
        sb.append(",thread,cpu,low_ns,high_ns,count,overflow\n");
        for (ScenarioRecord s : scenarios) {
            StringBuilder prefix = new StringBuilder().append(s.index() + 1);
            for (String d : dims) prefix.append(',').append(Csv.field(s.dims().get(d)));
            for (ThreadResult t : threads.of(s)) {
                LatencyDistribution d = LatencyDistribution.of(t);
                long[] counts = d.counts();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 0) continue;
                    sb.append(prefix).append(',').append(t.thread()).append(',').append(t.cpu()).append(',').append(d.lowerBoundNs(i))
                            .append(',').append(d.upperBoundNs(i)).append(',').append(counts[i]).append(',').append(i == d.overflowIndex())
                            .append('\n');
                }
            }
        }
        return sb.toString();
    }
}
