package org.vmlat.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.LatencyDistribution;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;

class StressComparisonTest {
    /** Synthetic scenarios and their samples, so the bootstrap can read them as the store would. */
    static final class Lab {
        final List<ScenarioRecord> scenarios = new ArrayList<>();
        final Map<Long, ThreadResult> threads = new HashMap<>();

        /** 20 000 samples of 5 us + an exponential of mean 2 us, times {@code scale} (ns, exact). */
        Lab add(String interval, String load, int repetition, double scale, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            Histogram h = LatencyHistograms.create();
            long min = Long.MAX_VALUE, max = 0, sum = 0, n = 20_000;
            for (int i = 0; i < n; i++) {
                long v = Math.round(scale * (5_000 - 2_000 * Math.log(1 - rnd.nextDouble())));
                h.recordValue(v);
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
            ThreadResult t = new ThreadResult(0, 1, 1_000_000, 1, n, min, max, sum, 0, 0, h, List.of());
            Map<String, String> dims = new LinkedHashMap<>();
            dims.put("probe", "builtin");
            dims.put("interval", interval);
            dims.put("load", load);
            dims.put("repetition", Integer.toString(repetition));
            int id = scenarios.size();
            scenarios.add(new ScenarioRecord(id, 1, id, dims, ScenarioStatus.DONE, null, 0, 0, 0, "", "", Map.of(), List.of(), true,
                    List.of(ThreadSummary.of(t))));
            threads.put((long) id, t);
            return this;
        }

        StressComparison.Samples samples() {
            return sc -> LatencyDistribution.of(threads.get(sc.id()));
        }
    }

    @Test
    void oneRepetitionEqualDistributionsAreIndistinguishableAndAShiftIsWorse() {
        Lab lab = new Lab().add("1ms", "none", 1, 1, 1).add("1ms", "same", 1, 1, 2).add("1ms", "double", 1, 2, 3);
        List<StressComparison.Row> rows = StressComparison.rows(lab.scenarios, WorstCaseTable.Metric.P999, lab.samples());
        assertThat(rows).hasSize(2);
        StressComparison.Evidence same = rows.get(0).evidence(), doubled = rows.get(1).evidence();
        assertThat(same.method()).isEqualTo(StressComparison.Method.BOOTSTRAP);
        assertThat(same.verdict()).isEqualTo("indistinguishable");
        assertThat(same.lowNs()).isNegative();
        assertThat(same.highNs()).isPositive();
        // p99.9 of 5 us + Exp(2 us) is 5 + 2 ln 1000 = 18.8 us; doubled 37.6 us: +18.8 us
        assertThat(doubled.verdict()).isEqualTo("worse");
        assertThat(doubled.lowNs()).isPositive().isLessThan(18_800);
        assertThat(doubled.highNs()).isGreaterThan(18_800);
        String text = StressComparison.render(rows, WorstCaseTable.Metric.P999);
        assertThat(text).contains("indistinguishable").contains("worse").contains("95% interval")
                .contains("One repetition: the interval is a bootstrap over that one run's samples");
    }

    @Test
    void theMaxOfOneRunIsComparedAtP999AndSaysSo() {
        Lab lab = new Lab().add("1ms", "none", 1, 1, 1).add("1ms", "double", 1, 2, 3);
        List<StressComparison.Row> rows = StressComparison.rows(lab.scenarios, WorstCaseTable.Metric.MAX, lab.samples());
        assertThat(rows.get(0).evidence().basis()).isEqualTo("p99.9");
        assertThat(rows.get(0).evidence().verdict()).isEqualTo("worse");
        String text = StressComparison.render(rows, WorstCaseTable.Metric.MAX);
        assertThat(text).contains("p99.9: +").contains("The max of one run is one sample");
        // without samples at hand the row is not judged rather than judged wrongly
        List<StressComparison.Row> bare = StressComparison.rows(lab.scenarios, WorstCaseTable.Metric.MAX);
        assertThat(bare.get(0).evidence().verdict()).isEqualTo("not judged");
    }

    @Test
    void repetitionsShowTheirSpreadAndDecideByRank() {
        Lab lab = new Lab();
        for (int r = 1; r <= 4; r++) {
            lab.add("1ms", "none", r, 1, 10 + r).add("1ms", "same", r, 1, 20 + r).add("1ms", "double", r, 2, 30 + r);
        }
        List<StressComparison.Row> rows = StressComparison.rows(lab.scenarios, WorstCaseTable.Metric.MAX, lab.samples());
        assertThat(rows).hasSize(2);
        StressComparison.Row same = rows.get(0), doubled = rows.get(1);
        assertThat(same.idle().repetitions()).isEqualTo(4);
        assertThat(same.evidence().method()).isEqualTo(StressComparison.Method.REPETITIONS);
        assertThat(same.evidence().basis()).isEqualTo("max");
        assertThat(same.evidence().verdict()).isEqualTo("indistinguishable");
        assertThat(doubled.evidence().verdict()).isEqualTo("worse");
        assertThat(doubled.evidence().chance()).isCloseTo(2 / 70.0, org.assertj.core.data.Offset.offset(1e-12));
        long[] idle = same.idle().repetitionsNs();
        String text = StressComparison.render(rows, WorstCaseTable.Metric.MAX);
        // the idle cell: median (min..max) of the four maxima
        assertThat(text).contains(Micros.of(same.idle().medianNs()) + " (" + Micros.of(idle[0]) + ".." + Micros.of(idle[3]) + ")")
                .contains("exact rank-sum (Mann-Whitney) test");
    }

    @Test
    void threeRepetitionsSayTheyCannotDecide() {
        Lab lab = new Lab();
        for (int r = 1; r <= 3; r++) lab.add("1ms", "none", r, 1, 10 + r).add("1ms", "triple", r, 3, 30 + r);
        List<StressComparison.Row> rows = StressComparison.rows(lab.scenarios, WorstCaseTable.Metric.P999, lab.samples());
        assertThat(rows.get(0).evidence().verdict()).isEqualTo("indistinguishable");
        assertThat(StressComparison.render(rows, WorstCaseTable.Metric.P999)).contains("3 v 3 repetitions cannot show a difference at 95%");
    }
}
