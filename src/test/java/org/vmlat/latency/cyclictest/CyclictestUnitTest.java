package org.vmlat.latency.cyclictest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vmlat.latency.FormatException;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.ThreadResult;

/**
 * cyclictest's text output does not state its unit. Fixtures: rt-tests 2.4, with and without
 * -N; verbose-t1-nsecs.txt is {@code cyclictest -m -p95 -N -v -l 50 -t1 -i1000} (awk: 50 samples,
 * min 12752, max 30580, sum 777289 ns).
 */
class CyclictestUnitTest {

    @Test
    void fieldWidthsOfSummaryLinesTellTheUnit() {
        // printf "Act:%5ld Avg:%5ld" without -N, "Act:%8ld Avg:%8ld" with it
        assertThat(CyclictestTextReader.unitOfSummaryLine(
                "T: 0 ( 2511) P:95 I:1000 C:   2999 Min:     11 Act:   13 Avg:   18 Max:    1416")).isEqualTo(1000);
        assertThat(CyclictestTextReader.unitOfSummaryLine(
                "T: 0 ( 2531) P:95 I:1000 C:   2000 Min:  11477 Act:   12991 Avg:   14127 Max:  105683")).isEqualTo(1);
        assertThat(CyclictestTextReader.unitOfSummaryLine(
                "T: 0 ( 9225) P: 0 I:1000 C:    200 Min:  52324 Act:  712345 Avg:   81075 Max:  751325")).isEqualTo(1);
        assertThat(CyclictestTextReader.unitOfSummaryLine("# Histogram")).isZero();
    }

    @Test
    void nanosecondSummaryLinesAreDetected() {
        MeasurementResult r = Fixtures.imported("cyclictest-2.4/quiet-t1-nsecs.txt", TextUnit.DETECT);
        ThreadResult t = r.threads().get(0);
        assertThat(t.minNs()).isEqualTo(11_477);
        assertThat(t.maxNs()).isEqualTo(105_683);
        assertThat(t.meanNs()).isEqualTo(14_127);
        assertThat(t.resolutionNs()).isEqualTo(1);
        assertThat(r.settings()).containsEntry("unit_ns", "1").containsEntry("unit_from", "T: line field widths");
    }

    @Test
    void microsecondSummaryLinesAreDetected() {
        MeasurementResult r = Fixtures.imported("cyclictest-2.10/quiet-t2.txt", TextUnit.DETECT);
        assertThat(r.threads().get(0).minNs()).isEqualTo(8_000);
        assertThat(r.settings()).containsEntry("unit_ns", "1000");
    }

    @Test
    void aUnitThatContradictsTheSummaryLinesIsRefused() {
        assertThatThrownBy(() -> Fixtures.imported("cyclictest-2.4/quiet-t1-nsecs.txt", TextUnit.MICROSECONDS))
                .isInstanceOf(FormatException.class)
                .hasMessageStartingWith("cyclictest-2.4/quiet-t1-nsecs.txt:2: T: line: ")
                .hasMessageContaining("cyclictest -N, in ns");
        assertThatThrownBy(() -> Fixtures.imported("cyclictest-2.4/quiet-t2.txt", TextUnit.NANOSECONDS))
                .isInstanceOf(FormatException.class)
                .hasMessageStartingWith("cyclictest-2.4/quiet-t2.txt:2: T: line: ")
                .hasMessageContaining("in us, not ns");
    }

    @Test
    void nanosecondHistogramWithoutSummaryLinesIsRefusedUnlessTheUnitIsGiven() {
        // # Min Latencies: 08124 (ns): read as us it would be an 8 ms minimum
        assertThatThrownBy(() -> Fixtures.imported("cyclictest-2.4/hist-t1-nsecs.txt", TextUnit.DETECT))
                .isInstanceOf(FormatException.class)
                .hasMessageStartingWith("cyclictest-2.4/hist-t1-nsecs.txt: ")
                .hasMessageContaining("8124 us")
                .hasMessageContaining("--nsecs");
        ThreadResult t = Fixtures.imported("cyclictest-2.4/hist-t1-nsecs.txt", TextUnit.NANOSECONDS).threads().get(0);
        assertThat(t.minNs()).isEqualTo(8_124);
        assertThat(t.maxNs()).isEqualTo(101_623);
    }

    @Test
    void nanosecondVerboseSamplesAreRefusedUnlessTheUnitIsGiven() {
        assertThatThrownBy(() -> Fixtures.imported("cyclictest-2.4/verbose-t1-nsecs.txt", TextUnit.DETECT))
                .isInstanceOf(FormatException.class).hasMessageContaining("12752 us");
        ThreadResult t = Fixtures.imported("cyclictest-2.4/verbose-t1-nsecs.txt", TextUnit.NANOSECONDS).threads().get(0);
        assertThat(t.count()).isEqualTo(50);
        assertThat(t.minNs()).isEqualTo(12_752);
        assertThat(t.maxNs()).isEqualTo(30_580);
        assertThat(t.sumNs()).isEqualTo(777_289);
    }

    @Test
    void microsecondHistogramWithoutSummaryLinesIsReadAsMicrosecondsWithAWarning() {
        MeasurementResult r = Fixtures.imported("cyclictest-2.10/hist-t2.txt", TextUnit.DETECT);
        assertThat(r.threads().get(0).minNs()).isEqualTo(9_000);
        assertThat(r.settings()).containsEntry("unit_from", "assumed (the file does not state it)");
        assertThat(r.warnings()).anyMatch(w -> w.contains("does not state its unit") && w.contains("--nsecs"));
    }
}
