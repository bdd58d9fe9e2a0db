package org.vmlat.report;

import java.util.List;
import java.util.TreeMap;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.cyclictest.CyclictestHistogramWriter;
import org.vmlat.store.RunRecord;
import org.vmlat.store.ScenarioRecord;

/**
 * Each scenario as cyclictest {@code -h} prints it (rt-tests 2.7+ layout, 1 us buckets up to the
 * scenario's largest sample), so OSADL-style latency plots and gnuplot recipes run unchanged:
 * every line that is not a bucket starts with {@code #}. Scenarios follow each other separated by
 * two blank lines, gnuplot's data sets ({@code plot 'run.hist' index 0}); one scenario
 * ({@code runs export --scenario N}) is exactly the block cyclictest would print.
 */
final class CyclictestHistExport implements ExportFormat {
    /** cyclictest's -h takes at most this many buckets; beyond, samples are overflows. */
    static final int MAX_BUCKETS_US = 1_000_000;

    @Override
    public String name() {
        return "cyclictest-hist";
    }

    @Override
    public String description() {
        return "cyclictest -h text per scenario (gnuplot, OSADL plots)";
    }

    @Override
    public String write(RunRecord run, List<ScenarioRecord> scenarios, ThreadResults threads) {
        StringBuilder sb = new StringBuilder();
        for (ScenarioRecord s : scenarios) {
            // cyclictest's block ends with an empty line: one more makes gnuplot's data set separator
            if (!sb.isEmpty()) sb.append('\n');
            sb.append("# vmlat run ").append(run.id()).append(" scenario ").append(s.index() + 1);
            new TreeMap<>(s.dims()).forEach((k, v) -> sb.append(' ').append(k).append('=').append(v.replace('\n', ' ')));
            sb.append('\n');
            List<ThreadResult> t = threads.of(s);
            sb.append(CyclictestHistogramWriter.write(t, bucketsUs(t)));
        }
        return sb.toString();
    }

    /** Enough 1 us buckets for every sample the histogram holds (cyclictest's -h N). */
    static int bucketsUs(List<ThreadResult> threads) {
        long maxUs = 0;
        for (ThreadResult t : threads) if (t.count() > 0) maxUs = Math.max(maxUs, t.maxNs() / 1000);
        return (int) Math.min(MAX_BUCKETS_US, maxUs + 1);
    }
}
