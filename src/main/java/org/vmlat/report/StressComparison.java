package org.vmlat.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.vmlat.latency.LatencyDistribution;
import org.vmlat.stats.Comparison;
import org.vmlat.stats.RankSumTest;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;

/**
 * Stress vs no stress: every loaded scenario beside the scenario that differs from it only by
 * having no load, with the ratio of the chosen metric and whether the difference is more than
 * noise.
 *
 * <p>How a difference is judged (docs/report.md, "Differences and noise"):
 * <ul>
 *   <li><b>Repetitions</b> (a side has two or more measured repetitions): each repetition gives
 *       one value of the metric; a cell shows their median (min..max), the interval is the exact
 *       rank-sum interval of the shift over the repetitions and the verdict the exact rank-sum
 *       test ({@link RankSumTest}). This is the honest measure of run-to-run noise, which on a
 *       shared or virtualised machine dominates the noise within one run.</li>
 *   <li><b>One repetition</b> a side: a bootstrap over that run's samples ({@link Comparison},
 *       as {@code vmlat compare}), which holds sampling noise only. The max of one run is one
 *       sample and a bootstrap of it is degenerate (a resample's max never exceeds the observed
 *       max), so for max the verdict compares p99.9 and says so; for the mean it compares
 *       p50.</li>
 * </ul>
 */
public final class StressComparison {
    /** The confidence level of every interval and verdict in the table. */
    public static final double LEVEL = 0.95;
    static final int RESAMPLES = 200;
    static final long SEED = 1;

    /** A scenario's samples (its threads pooled), for the bootstrap of cells with one repetition. */
    @FunctionalInterface
    public interface Samples {
        LatencyDistribution of(ScenarioRecord scenario);
    }

    /** How a row's difference was judged. */
    public enum Method {
        /** Exact rank-sum test and interval over the repetitions' values. */
        REPETITIONS,
        /** Bootstrap over the samples of one run a side. */
        BOOTSTRAP,
        /** Not judged: a side has no measured scenario, or no samples were at hand. */
        NONE
    }

    /**
     * One side of a row: the table's cell (over every repetition, as the worst-case table shows
     * it) and the metric of each repetition that finished, in ns.
     */
    public record Side(WorstCaseTable.Cell cell, long[] repetitionsNs) {
        public Side {
            repetitionsNs = repetitionsNs.clone();
            Arrays.sort(repetitionsNs);
        }

        public int repetitions() {
            return repetitionsNs.length;
        }

        /** The median over the repetitions (the value itself with one), -1 without any. */
        public double medianNs() {
            int n = repetitionsNs.length;
            if (n == 0) return -1;
            return n % 2 == 1 ? repetitionsNs[n / 2] : (repetitionsNs[n / 2 - 1] + repetitionsNs[n / 2]) / 2.0;
        }
    }

    /**
     * The judgement of one row: stress minus no stress (ns) with its interval at {@link #LEVEL}
     * (NaN when there is none), the verdict, and what was compared ({@code basis}: the metric, or
     * the percentile that stood in for it).
     *
     * @param chance the two-sided chance of a difference at least this clear with none (rank
     *               test), NaN for the bootstrap
     */
    public record Evidence(Method method, String basis, double diffNs, double lowNs, double highNs, double chance, String verdict) {
        static Evidence none(String why) {
            return new Evidence(Method.NONE, "", Double.NaN, Double.NaN, Double.NaN, Double.NaN, why);
        }
    }

    public record Row(String setting, String load, Side idle, Side stressed, Evidence evidence) {
        /** The stressed median over the idle median (the cells' values with one repetition). */
        public double ratio() {
            double a = idle.medianNs(), b = stressed.medianNs();
            return a <= 0 || b < 0 ? Double.NaN : b / a;
        }
    }

    private StressComparison() {}

    /** The rows without samples at hand: cells with one repetition are not judged. */
    public static List<Row> rows(List<ScenarioRecord> scenarios, WorstCaseTable.Metric metric) {
        return rows(scenarios, metric, null);
    }

    /** The rows, bootstrapping cells with one repetition on {@code samples} (null: not judged). */
    public static List<Row> rows(List<ScenarioRecord> scenarios, WorstCaseTable.Metric metric, Samples samples) {
        Map<String, List<ScenarioRecord>> bySetting = new LinkedHashMap<>();
        for (ScenarioRecord s : scenarios) {
            List<String> others = new ArrayList<>();
            for (var e : s.dims().entrySet()) if (!e.getKey().equals("load") && !e.getKey().equals("repetition")) others.add(e.getValue());
            bySetting.computeIfAbsent(String.join(" / ", others), k -> new ArrayList<>()).add(s);
        }
        List<Row> out = new ArrayList<>();
        bySetting.forEach((setting, list) -> {
            List<ScenarioRecord> idle = list.stream().filter(s -> "none".equals(s.dims().get("load"))).toList();
            if (idle.isEmpty()) return;
            Side idleSide = side(idle, metric);
            Map<String, List<ScenarioRecord>> byLoad = new LinkedHashMap<>();
            for (ScenarioRecord s : list) if (!"none".equals(s.dims().get("load"))) byLoad.computeIfAbsent(s.dims().get("load"), k -> new ArrayList<>()).add(s);
            byLoad.forEach((load, l) -> {
                Side stressed = side(l, metric);
                out.add(new Row(setting, load, idleSide, stressed, judge(idle, l, idleSide, stressed, metric, samples)));
            });
        });
        return out;
    }

    private static Side side(List<ScenarioRecord> list, WorstCaseTable.Metric metric) {
        List<Long> values = new ArrayList<>();
        for (ScenarioRecord s : list) {
            if (s.status() != ScenarioStatus.DONE) continue; // a partial run is no repetition of a full one
            long v = WorstCaseTable.cell(List.of(s), metric).valueNs();
            if (v >= 0) values.add(v);
        }
        return new Side(WorstCaseTable.cell(list, metric), values.stream().mapToLong(Long::longValue).toArray());
    }

    private static Evidence judge(List<ScenarioRecord> idle, List<ScenarioRecord> stressed, Side a, Side b,
                                  WorstCaseTable.Metric metric, Samples samples) {
        if (a.repetitions() == 0 || b.repetitions() == 0) return Evidence.none("-");
        if (a.repetitions() > 1 || b.repetitions() > 1) {
            RankSumTest.Result r = RankSumTest.test(a.repetitionsNs(), b.repetitionsNs(), LEVEL);
            double[] shift = RankSumTest.shiftInterval(a.repetitionsNs(), b.repetitionsNs(), LEVEL);
            return new Evidence(Method.REPETITIONS, metric.label, shift[1], shift[0], shift[2], r.pTwoSided(), r.verdict());
        }
        if (samples == null) return Evidence.none("not judged");
        LatencyDistribution da = samples.of(measured(idle)), db = samples.of(measured(stressed));
        if (da == null || db == null || !da.hasBuckets() || !db.hasBuckets() || da.count() == 0 || db.count() == 0) {
            return Evidence.none("no samples");
        }
        double p = Double.isNaN(metric.percentile()) ? surrogate(metric).percentile() : metric.percentile();
        Comparison.Row c = Comparison.compare(da, db, new double[] {p}, RESAMPLES, LEVEL, SEED).get(0);
        String basis = Double.isNaN(metric.percentile()) ? surrogate(metric).label : metric.label;
        return new Evidence(Method.BOOTSTRAP, basis, c.diffNs(), c.lowNs(), c.highNs(), Double.NaN, c.verdict());
    }

    /**
     * The percentile a one-repetition comparison reads for a metric that has no bootstrap
     * interval: p99.9 for max (the max of one run is one sample), p50 for the mean.
     */
    static WorstCaseTable.Metric surrogate(WorstCaseTable.Metric metric) {
        return metric == WorstCaseTable.Metric.MEAN ? WorstCaseTable.Metric.P50 : WorstCaseTable.Metric.P999;
    }

    private static ScenarioRecord measured(List<ScenarioRecord> list) {
        return list.stream().filter(s -> s.status() == ScenarioStatus.DONE && !s.threads().isEmpty()).findFirst().orElse(list.get(0));
    }

    public static String render(List<Row> rows, WorstCaseTable.Metric metric) {
        List<List<String>> table = new ArrayList<>();
        Set<String> notes = new LinkedHashSet<>();
        for (Row r : rows) {
            Evidence e = r.evidence();
            String basis = e.method() == Method.BOOTSTRAP && !e.basis().equals(metric.label) ? e.basis() + ": " : "";
            table.add(List.of(r.setting(), r.load(), side(r.idle()), side(r.stressed()),
                    Double.isNaN(r.ratio()) ? "-" : String.format(Locale.ROOT, "x%.1f", r.ratio()),
                    Double.isNaN(e.diffNs()) ? "-" : basis + signed(e.diffNs()),
                    interval(e), e.verdict()));
            notes.addAll(notes(r, metric));
        }
        String level = String.format(Locale.ROOT, "%.0f%%", LEVEL * 100);
        StringBuilder sb = new StringBuilder(Table.render(List.of("setting", "load", "no stress (" + metric.label + " us)",
                "stress (" + metric.label + " us)", "ratio", "stress - no stress", level + " interval", "stress is"), table));
        notes.forEach(n -> sb.append(n).append('\n'));
        return sb.toString();
    }

    private static List<String> notes(Row r, WorstCaseTable.Metric metric) {
        List<String> out = new ArrayList<>();
        Evidence e = r.evidence();
        if (e.method() == Method.REPETITIONS) {
            out.add("Repetitions: a cell is the median (min..max) of " + metric.label + " over its repetitions; the interval and verdict"
                    + " are the exact rank-sum (Mann-Whitney) test over the repetitions' values, so run-to-run noise counts.");
            int m = r.idle().repetitions(), n = r.stressed().repetitions();
            if (RankSumTest.smallestChance(m, n) > (1 - LEVEL) / 2) {
                out.add(String.format(Locale.ROOT, "%d v %d repetitions cannot show a difference at %.0f%% (no interval): repeat the plan"
                        + " at least 4 times.", m, n, LEVEL * 100));
            }
        } else if (e.method() == Method.BOOTSTRAP) {
            out.add("One repetition: the interval is a bootstrap over that one run's samples (as vmlat compare); it holds sampling noise"
                    + " only, and two runs of one setup often differ more: repeat the plan (repetitions = 4) before taking a"
                    + " difference as a finding.");
            if (metric == WorstCaseTable.Metric.MAX) {
                out.add("The max of one run is one sample: a bootstrap of it is degenerate (no resample exceeds it), so the verdict"
                        + " compares p99.9; with repetitions the maxima themselves are compared.");
            } else if (metric == WorstCaseTable.Metric.MEAN) {
                out.add("The mean has no bootstrap here: the verdict compares p50.");
            }
        } else if (e.verdict().equals("not judged")) {
            out.add("Not judged: one repetition a side and no samples at hand (vmlat report RUN judges it).");
        }
        return out;
    }

    private static String side(Side s) {
        if (s.repetitions() <= 1) return WorstCaseTable.text(s.cell());
        long[] v = s.repetitionsNs();
        return WorstCaseTable.text(s.cell(), Micros.of(s.medianNs()) + " (" + Micros.of(v[0]) + ".." + Micros.of(v[v.length - 1]) + ")");
    }

    private static String interval(Evidence e) {
        if (Double.isNaN(e.lowNs()) || Double.isNaN(e.highNs())) return e.method() == Method.REPETITIONS ? "none" : "-";
        return "[" + signed(e.lowNs()) + ", " + signed(e.highNs()) + "]";
    }

    private static String signed(double ns) {
        return String.format(Locale.ROOT, "%+.1f", ns / 1000.0);
    }
}
