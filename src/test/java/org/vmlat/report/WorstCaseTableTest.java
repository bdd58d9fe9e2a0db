package org.vmlat.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;

class WorstCaseTableTest {
    /** A scenario whose single thread saw latencies 10, 20, ..., maxUs (us) and the given overruns. */
    static ScenarioRecord sc(int i, String kernel, String load, String status, long maxUs, long overruns) {
        Map<String, String> dims = new LinkedHashMap<>();
        dims.put("kernel", kernel);
        dims.put("load", load);
        Histogram h = LatencyHistograms.create();
        long sum = 0, n = 0;
        for (long v = 10; v <= maxUs; v += 10) {
            h.recordValue(v * 1000);
            sum += v * 1000;
            n++;
        }
        List<ThreadSummary> threads = status.equals("failed") ? List.of()
                : List.of(ThreadSummary.of(new ThreadResult(0, 0, 1_000_000, 1, n, 10_000, maxUs * 1000, sum, overruns, 0, h, List.of())));
        return new ScenarioRecord(i, 1, i, dims, ScenarioStatus.fromStored(status), null, 0, 0, 0, "", "", Map.of(), List.of(), true, threads);
    }

    static List<ScenarioRecord> study() {
        List<ScenarioRecord> s = new ArrayList<>();
        s.add(sc(0, "NRT/NRT", "none", "done", 275, 0));
        s.add(sc(1, "NRT/NRT", "stress", "done", 785, 10));
        s.add(sc(2, "RT/RT", "none", "done", 72, 0));
        s.add(sc(3, "RT/RT", "stress", "failed", 0, 0));
        return s;
    }

    @Test
    void pivotsLikeTheStudyTable() {
        WorstCaseTable.Pivot p = WorstCaseTable.pivot(study(), List.of("kernel"), List.of("load"), WorstCaseTable.Metric.MAX);
        assertThat(p.rows()).containsExactly("NRT/NRT", "RT/RT");
        assertThat(p.cols()).containsExactly("none", "stress");
        assertThat(p.cell("NRT/NRT", "none").valueNs()).isEqualTo(275_000);
        assertThat(p.cell("RT/RT", "none").valueNs()).isEqualTo(72_000);
        String text = WorstCaseTable.render(p, WorstCaseTable.Format.TEXT);
        // 78 samples + 10 missed periods: 11.4 % missed
        assertThat(text).contains("785.0 (11.4% missed)").contains("FAILED").contains("72.0");
        assertThat(WorstCaseTable.render(p, WorstCaseTable.Format.CSV)).isEqualTo("kernel \\ load,none,stress\nNRT/NRT,275.0,785.0\nRT/RT,72.0,\n");
        assertThat(WorstCaseTable.render(p, WorstCaseTable.Format.MARKDOWN)).startsWith(
                "Table: max latency in us, the largest sample of each cell; rows kernel, columns load\n\n"
                + "| kernel \\ load | none | stress |\n|---|---:|---:|\n| NRT/NRT | 275.0 |");
    }

    @Test
    void captionsNameTheMetricTheUnitAndHowACellIsMade() {
        WorstCaseTable.Pivot p = WorstCaseTable.pivot(study(), List.of("kernel"), List.of(), WorstCaseTable.Metric.P999);
        assertThat(WorstCaseTable.render(p, WorstCaseTable.Format.MARKDOWN)).startsWith(
                "Table: p99.9 latency in us, the largest p99.9 of each cell's threads and repetitions; rows kernel, columns all\n\n| kernel \\ |");
        WorstCaseTable.Pivot mean = WorstCaseTable.pivot(study(), List.of(), List.of("load"), WorstCaseTable.Metric.MEAN);
        assertThat(WorstCaseTable.render(mean, WorstCaseTable.Format.MARKDOWN)).startsWith("Table: mean latency in us, the mean of all samples of each cell;");
    }

    @Test
    void jsonHoldsEveryCellInNsWithItsMarks() throws Exception {
        WorstCaseTable.Pivot p = WorstCaseTable.pivot(study(), List.of("kernel"), List.of("load"), WorstCaseTable.Metric.MAX);
        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(WorstCaseTable.render(p, WorstCaseTable.Format.JSON));
        assertThat(root.get("format").asText()).isEqualTo("vmlat-report");
        assertThat(root.get("metric").asText()).isEqualTo("max");
        assertThat(root.get("cells")).hasSize(4);
        var stressed = root.get("cells").get(1);
        assertThat(stressed.get("row").asText()).isEqualTo("NRT/NRT");
        assertThat(stressed.get("column").asText()).isEqualTo("stress");
        assertThat(stressed.get("value_ns").asLong()).isEqualTo(785_000);
        // 78 samples + 10 missed periods
        assertThat(stressed.get("missed_periods").asLong()).isEqualTo(10);
        assertThat(stressed.get("periods").asLong()).isEqualTo(88);
        var failed = root.get("cells").get(3);
        assertThat(failed.get("value_ns").isNull()).isTrue();
        assertThat(failed.get("failed").asInt()).isEqualTo(1);
    }

    @Test
    void csvQuotesLineBreaksToo() {
        List<ScenarioRecord> s = List.of(sc(0, "line\nbreak", "none", "done", 10, 0));
        assertThat(WorstCaseTable.render(WorstCaseTable.pivot(s, List.of("kernel"), List.of(), WorstCaseTable.Metric.MAX), WorstCaseTable.Format.CSV))
                .isEqualTo("kernel \\,all\n\"line\nbreak\",10.0\n");
    }

    @Test
    void metricsAndAllInOneCell() {
        WorstCaseTable.Pivot mean = WorstCaseTable.pivot(study().subList(2, 3), List.of("kernel"), List.of(), WorstCaseTable.Metric.MEAN);
        assertThat(mean.cell("RT/RT", "all").valueNs()).isEqualTo(40_000); // mean of 10..70
        WorstCaseTable.Pivot p99 = WorstCaseTable.pivot(study().subList(0, 1), List.of(), List.of(), WorstCaseTable.Metric.P99);
        assertThat(p99.cell("all", "all").valueNs()).isBetween(270_000L, 271_000L);
    }

    @Test
    void unknownDimensionIsNamed() {
        assertThatThrownBy(() -> WorstCaseTable.pivot(study(), List.of("hypervisor"), List.of("load"), WorstCaseTable.Metric.MAX))
                .hasMessageContaining("unknown dimension \"hypervisor\"").hasMessageContaining("kernel, load");
    }

    @Test
    void stressVersusNoStress() {
        List<StressComparison.Row> rows = StressComparison.rows(study(), WorstCaseTable.Metric.MAX);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).ratio()).isCloseTo(785.0 / 275.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Double.isNaN(rows.get(1).ratio())).isTrue();
    }
}
