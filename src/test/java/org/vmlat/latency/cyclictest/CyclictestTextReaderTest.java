package org.vmlat.latency.cyclictest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.FormatException;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.ThreadResult;

/** Expected figures are what cyclictest printed in each fixture (checked by hand and with awk). */
class CyclictestTextReaderTest {

    private static void assertThread(ThreadResult t, long count, long minUs, long avgUs, long maxUs) {
        assertThat(t.count()).as("count of T%d", t.thread()).isEqualTo(count);
        assertThat(t.minNs()).as("min").isEqualTo(minUs * 1000);
        assertThat(t.maxNs()).as("max").isEqualTo(maxUs * 1000);
        assertThat(t.meanNs()).as("mean").isEqualTo(avgUs * 1000.0);
        assertThat(t.resolutionNs()).isEqualTo(1000);
    }

    @Test
    void quietSummaryLinesOf24() {
        MeasurementResult r = Fixtures.imported("cyclictest-2.4/quiet-t2.txt");
        assertThat(r.settings()).containsEntry("format", "summary");
        assertThread(r.threads().get(0), 2999, 11, 18, 1416);
        assertThread(r.threads().get(1), 2000, 7, 18, 1412);
        assertThat(r.threads().get(1).intervalNs()).isEqualTo(1_500_000); // cyclictest's default -d 500
        assertThat(r.threads().get(0).hasDistribution()).isFalse();
        assertThat(r.threads().get(0).percentileNs(99)).isEqualTo(-1);
        assertThat(r.warnings()).anyMatch(w -> w.contains("distribution is not"));
    }

    @Test
    void quietSummaryLinesOf210() {
        MeasurementResult r = Fixtures.imported("cyclictest-2.10/quiet-t2.txt");
        assertThread(r.threads().get(0), 3000, 8, 18, 901);
        assertThread(r.threads().get(1), 2000, 9, 17, 162);
    }

    @Test
    void liveOutputWithEscapesKeepsTheLastLine() {
        MeasurementResult r = Fixtures.imported("cyclictest-2.4/live-t1.txt");
        assertThat(r.threads()).hasSize(1);
        assertThread(r.threads().get(0), 1999, 9, 14, 91);
    }

    @Test
    void histogramWithTotalOf24CountsOverflows() {
        CyclictestTextReader.Parsed p = new CyclictestTextReader("h", 1000, 0).read(Fixtures.reader("cyclictest-2.4/hist-t2-overflow.txt"));
        assertThat(p.format()).isEqualTo(CyclictestFormat.HISTOGRAM);
        assertThat(p.histogramHadTotal()).isTrue();
        List<ThreadResult> t = p.threads();
        // # Total: 14957 14981, # Histogram Overflows: 36 19
        assertThat(t.get(0).histogram().getTotalCount()).isEqualTo(14957);
        assertThat(t.get(1).histogram().getTotalCount()).isEqualTo(14981);
        assertThat(t.get(0).histogramOverflows()).isEqualTo(36);
        assertThread(t.get(0), 14957 + 36, 12, 14, 1486);
        assertThread(t.get(1), 14981 + 19, 5, 13, 119);
        assertThat(p.overflowCycles().get(0)).hasSize(36).startsWith(451L, 1076L).endsWith(14730L);
        assertThat(p.overflowCycles().get(1)).hasSize(19);
    }

    @Test
    void histogramOf210OmitsZeroRowsAndTotal() {
        CyclictestTextReader.Parsed p = new CyclictestTextReader("h", 1000, 0).read(Fixtures.reader("cyclictest-2.10/hist-t2.txt"));
        assertThat(p.histogramHadTotal()).isFalse();
        List<ThreadResult> t = p.threads();
        assertThat(t.get(0).histogram().getTotalCount()).isEqualTo(3000);
        assertThat(t.get(1).histogram().getTotalCount()).isEqualTo(2999);
        assertThread(t.get(0), 3000, 9, 15, 92);
        assertThread(t.get(1), 2999 + 1, 7, 15, 221);
        assertThat(t.get(0).histogram().getMinValue()).isEqualTo(9000);
        assertThat(t.get(0).percentileNs(0)).isEqualTo(9000);
    }

    @Test
    void overflowListTruncatedWithOthers() {
        CyclictestTextReader.Parsed p = new CyclictestTextReader("h", 1, 0).read(Fixtures.reader("cyclictest-2.4/hist-t1-nsecs.txt"));
        // -N with -h: rt-tests 2.4 compares ns samples with a us range, so every sample overflows
        assertThat(p.threads().get(0).histogram().getTotalCount()).isZero();
        assertThat(p.threads().get(0).histogramOverflows()).isEqualTo(2000);
        assertThat(p.overflowCycles().get(0)).hasSize(300).startsWith(0L, 1L);
        assertThat(p.threads().get(0).maxNs()).isEqualTo(101623);
    }

    @Test
    void overflowCountFor210() {
        CyclictestTextReader.Parsed p = new CyclictestTextReader("h", 1000, 0).read(Fixtures.reader("cyclictest-2.10/hist-t2-overflow.txt"));
        assertThread(p.threads().get(0), 14963 + 35, 7, 15, 244);
        assertThread(p.threads().get(1), 14922 + 36, 9, 16, 2662);
    }

    @Test
    void percentilesAboveTheHistogramRangeAreTheMaximum() {
        ThreadResult t = Fixtures.imported("cyclictest-2.4/hist-t2-overflow.txt").threads().get(0);
        // 36 of 14993 samples overflowed the 40 us range: p99.9 lies among them
        assertThat(t.percentileNs(99.9)).isEqualTo(t.maxNs());
        assertThat(t.percentileNs(50)).isEqualTo(13_000);
    }

    /**
     * Live output with -h (cyclictest -m -p95 -i1000 -t1 -a1 -D6 -h400): the last T: line says
     * C: 5991, the histogram block printed after the threads stopped holds 5991 samples in its
     * buckets and 6 overflows. Percentiles rank among those 5997 samples (awk over the rows).
     */
    @Test
    void histogramBlockWinsOverTheLastLiveSummaryLine() {
        ThreadResult t = Fixtures.imported("cyclictest-2.4/live-hist-t1-stale.txt").threads().get(0);
        assertThread(t, 5997, 9, 15, 2325);
        assertThat(t.histogram().getTotalCount()).isEqualTo(5991);
        assertThat(t.histogramOverflows()).isEqualTo(6);
        assertThat(t.percentileNs(50)).isEqualTo(13_000);   // 2999th sample
        assertThat(t.percentileNs(90)).isEqualTo(17_000);   // 5398th
        assertThat(t.percentileNs(99)).isEqualTo(34_000);   // 5938th
        assertThat(t.percentileNs(99.9)).isEqualTo(2_325_000);  // 5992nd: an overflow (>= 400 us), reported as the max
        assertThat(t.percentileNs(99.99)).isEqualTo(2_325_000);
        // the same histogram with the T: line's count: percentiles do not depend on it
        ThreadResult printed = new ThreadResult(0, 0, 1_000_000, 1000, 5991, 9_000, 2_325_000, 5991 * 15_000L, -1, 6,
                t.histogram(), List.of());
        for (double p : new double[] {50, 90, 99, 99.9, 99.99}) {
            assertThat(printed.percentileNs(p)).as("p%s", p).isEqualTo(t.percentileNs(p));
        }
    }

    @Test
    void verboseSamplesAreStreamedPerThread() {
        MeasurementResult r = Fixtures.imported("cyclictest-2.4/verbose-t2.txt");
        assertThat(r.settings()).containsEntry("format", "verbose");
        ThreadResult t0 = r.threads().get(0);
        // awk over the fixture: 500 samples, min 11, max 50, sum 6963 us
        assertThat(t0.count()).isEqualTo(500);
        assertThat(t0.minNs()).isEqualTo(11_000);
        assertThat(t0.maxNs()).isEqualTo(50_000);
        assertThat(t0.sumNs()).isEqualTo(6_963_000);
        assertThat(t0.cpu()).isEqualTo(0);
        assertThat(r.threads().get(1).count()).isEqualTo(335);
        assertThat(t0.spikes()).hasSize(10);
        assertThat(t0.spikes().get(0).latencyNs()).isEqualTo(50_000);
        assertThat(t0.histogram().getTotalCount()).isEqualTo(500);
    }

    @Test
    void breaktraceLinesMapTheTidToTheThread() {
        CyclictestTextReader.Parsed p = new CyclictestTextReader("b", 1000, 0).read(Fixtures.reader("cyclictest-2.4/hist-breaktrace.txt"));
        assertThat(p.breakTid()).isEqualTo(3603);
        assertThat(p.breakValue()).isEqualTo(40);
        assertThat(p.breakThread()).isEqualTo(0);
    }

    /** cyclictest -q -l 2000 -i 200 -b 30 -h 100 (rt-tests 2.4): the first sample, 65 us, broke the run. */
    @Test
    void quietBreaktraceMapsItsTidThroughTheThreadIds() {
        CyclictestTextReader.Parsed p = new CyclictestTextReader("b", 1000, 0).read(Fixtures.reader("cyclictest-2.4/quiet-hist-breaktrace.txt"));
        assertThat(p.breakTid()).isEqualTo(9254);
        assertThat(p.breakValue()).isEqualTo(65);
        assertThat(p.breakThread()).isEqualTo(0);
        assertThread(p.threads().get(0), 1, 65, 65, 65);
    }

    @Test
    void malformedSummaryLineNamesLineAndField() {
        String text = "# /dev/cpu_dma_latency set to 0us\nT: 0 ( 2511) P:95 I:1000 C: lots Min: 1\n";
        assertThatThrownBy(() -> new CyclictestTextReader("bad.txt", 1000, 0).read(new BufferedReader(new StringReader(text))))
                .isInstanceOf(FormatException.class)
                .hasMessageStartingWith("bad.txt:2: T:");
    }

    @Test
    void totalThatDisagreesWithTheBucketsIsRejected() {
        String text = Fixtures.text("cyclictest-2.4/hist-t2.txt").replace("# Total: 000003000 000003000", "# Total: 000003001 000003000");
        assertThatThrownBy(() -> new CyclictestTextReader("t.txt", 1000, 0).read(new BufferedReader(new StringReader(text))))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("# Total")
                .hasMessageContaining("3000")
                .hasMessageContaining("3001");
    }

    @Test
    void rowWithTheWrongNumberOfColumnsNamesItsLine() {
        String text = "# Histogram\n000000 000001\t000002\n000001 000003\n# Min Latencies: 00000 00000\n";
        assertThatThrownBy(() -> new CyclictestTextReader("r.txt", 1000, 0).read(new BufferedReader(new StringReader(text))))
                .isInstanceOf(FormatException.class)
                .hasMessageStartingWith("r.txt:3: bucket 1");
    }

    @Test
    void fileWithoutResultsIsRejected() {
        assertThatThrownBy(() -> new CyclictestTextReader("e.txt", 1000, 0).read(new BufferedReader(new StringReader("hello\n"))))
                .isInstanceOf(FormatException.class).hasMessageContaining("no cyclictest results");
    }
}
