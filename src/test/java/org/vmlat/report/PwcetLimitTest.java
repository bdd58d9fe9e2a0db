package org.vmlat.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.report.LimitCheck.Outcome;
import org.vmlat.stats.SplicedTail;
import org.vmlat.stats.TailAnalysis;

/** pWCET limits: the tail fit {@code vmlat tail} makes, held against the bound, or refused with the reason. */
class PwcetLimitTest {
    private static List<ThreadResult> threads(Histogram h, long resolutionNs) {
        return List.of(new ThreadResult(0, 0, 1_000_000, resolutionNs, h.getTotalCount(), h.getMinValue(), h.getMaxValue(),
                (long) (h.getMean() * h.getTotalCount()), 0, 0, h, List.of()));
    }

    private static List<Outcome> check(List<ThreadResult> threads, String... limits) {
        List<ThreadSummary> summaries = threads.stream().map(ThreadSummary::of).toList();
        return LimitCheck.check("s", Map.of(), summaries, () -> threads,
                Arrays.stream(limits).map(l -> Limit.parse(l, Map.of())).toList());
    }

    @Test
    void pwcetLimitsAreWrittenAsAnalyzeTakesThem() {
        Limit l = Limit.parse("pwcet1e-9=200us", Map.of());
        assertThat(l.isPwcet()).isTrue();
        assertThat(l.probability()).isEqualTo(1e-9);
        assertThat(l.boundNs()).isEqualTo(200_000);
        assertThat(l.label()).isEqualTo("pwcet1e-9<=200us");
        assertThat(Limit.parse("pwcet1e-12=1ms", Map.of("load", "none")).label()).isEqualTo("pwcet1e-12<=1ms where load=none");
        // only the probabilities the fits compute
        assertThatThrownBy(() -> Limit.parse("pwcet1e-15=1ms", Map.of())).hasMessage("unknown metric \"pwcet1e-15\": the pWCET is computed at pwcet1e-6, pwcet1e-9, pwcet1e-12");
        assertThatThrownBy(() -> Limit.parse("pwcet=1ms", Map.of())).hasMessageContaining("pwcet1e-9");
        assertThatThrownBy(() -> Limit.parse("pwcet1e-9=soon", Map.of())).hasMessageContaining("soon");
    }

    @Test
    void aGoodFitIsHeldAtTheUpperEndOfItsIntervalWhichCoversTheTruth() {
        SplicedTail tail = new SplicedTail(0.1, 5_000);
        List<ThreadResult> t = threads(tail.sample(200_000, 1, 3), 1);
        TailAnalysis.Bound b = TailAnalysis.of(t, 0.99, 200, 1).boundAt(1e-6);
        assertThat(b.supported()).as(b.refusal()).isTrue();
        // the bound errs on the safe side: the true 1e-9 quantile of the distribution lies below it
        assertThat((double) b.ns()).isGreaterThanOrEqualTo(tail.trueQuantileNs(1e-6));
        long us = b.ns() / 1000;
        List<Outcome> o = check(t, "pwcet1e-6=" + (us + 1) + "us", "pwcet1e-6=" + (us - 1) + "us");
        System.out.printf("pWCET 1e-6: bound %d ns (truth %.0f ns); %s / %s%n", b.ns(), tail.trueQuantileNs(1e-6), o.get(0).message(), o.get(1).message());
        assertThat(o).extracting(Outcome::passed).containsExactly(true, false);
        assertThat(o).allSatisfy(x -> assertThat(x.judged()).isTrue());
        assertThat(o.get(1).message()).startsWith("pwcet1e-6 ").contains(" exceeds pwcet1e-6<=" + (us - 1) + "us");
    }

    @Test
    void aProbabilityBeyondWhatTheDataSupportsOrAPoorFitIsNotJudged() {
        // 200 000 samples support 1e-6 (above) but not 1e-9, more than three decades beyond them
        List<ThreadResult> t = threads(new SplicedTail(0.1, 5_000).sample(200_000, 1, 3), 1);
        Outcome beyond = check(t, "pwcet1e-9=1s").get(0);
        assertThat(beyond.passed()).isFalse();
        assertThat(beyond.judged()).isFalse();
        assertThat(beyond.message()).isEqualTo("pwcet1e-9: not judged: the pWCET at 1.0E-9 extrapolates more than three decades beyond the"
                + " 200000 samples (vmlat tail shows the fit; use max, a percentile or a longer run)");
        // 40 samples: too few exceedances for any fit
        Histogram few = new Histogram(2_000_000, 3);
        for (long v = 1; v <= 40; v++) few.recordValue(v * 1000);
        Outcome poor = check(threads(few, 1000), "pwcet1e-6=1s").get(0);
        assertThat(poor.judged()).isFalse();
        assertThat(poor.message()).startsWith("pwcet1e-6: not judged: the tail fit is too few data");
        // no samples at all
        Outcome none = check(threads(new Histogram(2_000_000, 3), 1), "pwcet1e-9=1s").get(0);
        assertThat(none.message()).startsWith("pwcet1e-9: not judged: no samples to fit");
        System.out.println("refused: " + beyond.message() + " | " + poor.message() + " | " + none.message());
        // the JUnit file counts them as errors, not as exceeded limits
        String xml = JUnitXml.write("r", List.of(beyond, poor));
        assertThat(xml).contains("failures=\"0\" errors=\"2\"").contains("<error type=\"not judged\"");
    }
}
