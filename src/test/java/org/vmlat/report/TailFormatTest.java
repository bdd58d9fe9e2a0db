package org.vmlat.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vmlat.stats.SampleOrderChecks;
import org.vmlat.stats.TailAnalysis;
import org.vmlat.stats.TailModel;

class TailFormatTest {
    static TailModel model(TailModel.Method method, long resolutionNs, TailModel.Quantile... q) {
        return new TailModel(method, 6_000, 60, 30_000, method == TailModel.Method.BLOCK_MAXIMA ? 100 : 0, 0.01, 1.2, 5_000, Double.NaN, 0.995,
                "good", Double.POSITIVE_INFINITY, resolutionNs, List.of(q));
    }

    static final TailModel.Quantile UNBOUNDED = new TailModel.Quantile(1e-6, Double.POSITIVE_INFINITY, 200_000, Double.POSITIVE_INFINITY, false);
    static final TailModel.Quantile FAR = new TailModel.Quantile(1e-12, 250_000, 200_000, 300_000, true);

    static List<TailFormat.ScenarioTail> tails(SampleOrderChecks order) {
        TailAnalysis a = new TailAnalysis(model(TailModel.Method.PEAKS_OVER_THRESHOLD, 1000, UNBOUNDED, FAR),
                model(TailModel.Method.BLOCK_MAXIMA, 1000, FAR), order);
        return List.of(new TailFormat.ScenarioTail(1, Map.of("load", "none"), a));
    }

    static final SampleOrderChecks UNTESTED = new SampleOrderChecks(2, 0, 0, Double.NaN, Double.NaN, Double.NaN);

    @Test
    void textNamesUnboundedExtrapolatedAndEveryAssumption() {
        String text = TailFormat.text(new TailFormat.Settings(1, 0.99, 200), tails(UNTESTED));
        assertThat(text).doesNotContain("9223372036854775").doesNotContain("Infinity").doesNotContain("E1");
        assertThat(text).contains("unbounded [200.0, unbounded]").contains("250.0 [200.0, 300.0] *");
        assertThat(text).contains("Assumptions:").contains("independent, identically distributed").contains("not tested: no sample order")
                .contains("threshold u").contains("censoring").contains("whole 1.0 us").contains("extrapolation");
    }

    @Test
    void jsonHasNullsForUnboundedValuesAndTheAssumptions() throws Exception {
        JsonNode fit = new ObjectMapper().readTree(TailFormat.json(tails(UNTESTED))).get(0);
        JsonNode q = fit.get("pwcet").get(0);
        assertThat(q.get("latency_ns").isNull()).isTrue();
        assertThat(q.get("high_ns").isNull()).isTrue();
        assertThat(q.get("low_ns").asLong()).isEqualTo(200_000);
        assertThat(q.get("bounded").asBoolean()).isFalse();
        assertThat(fit.get("pwcet").get(1).get("extrapolated").asBoolean()).isTrue();
        assertThat(fit.get("resolution_ns").asLong()).isEqualTo(1000);
        assertThat(fit.get("block_maxima").get("block_size").asLong()).isEqualTo(100);
        assertThat(fit.get("sample_order").get("tested").asBoolean()).isFalse();
        assertThat(fit.get("assumptions").size()).isEqualTo(5);
    }

    @Test
    void aViolatedAssumptionIsSaid() {
        SampleOrderChecks bursts = new SampleOrderChecks(2, 2, 500, 0.33, 1e-9, 0.4);
        String text = TailFormat.text(new TailFormat.Settings(1, 0.99, 200), tails(bursts));
        assertThat(text).contains("independence p = 1.00e-09 (VIOLATED").contains("extremal index 0.33").contains("VIOLATED in at least one scenario");
    }
}
