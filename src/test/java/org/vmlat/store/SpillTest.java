package org.vmlat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.FormatException;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.Spike;
import org.vmlat.latency.ThreadResult;

class SpillTest {
    static ThreadResult thread(int n, long... samplesNs) {
        Histogram h = LatencyHistograms.create();
        long sum = 0, min = Long.MAX_VALUE, max = 0;
        for (long s : samplesNs) {
            h.recordValue(s);
            sum += s;
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        return new ThreadResult(n, n + 1, 1_000_000, 1, samplesNs.length, min, max, sum, 2, 0, h, List.of(new Spike(max, 7, 1_000_000)));
    }

    @Test
    void everyFigureSurvivesTheFile() {
        Spill s = new Spill("/data/r.db", 3, 4, 2, ScenarioStatus.DONE, null, Map.of("interval", "1ms"), List.of("w"), true,
                List.of(thread(0, 1_000, 2_000, 3_000), thread(1, 5_000)),
                List.of(new IntervalMax(0, 1, 1_000, 2_000, 3, 3_000)));
        assertThat(s.fileName()).isEqualTo("run-3-scenario-5-attempt-2.json");
        assertThat(s.samples()).isEqualTo(4);
        Spill back = Spill.read("x.json", s.write());
        assertThat(back).usingRecursiveComparison().ignoringFields("threads").isEqualTo(s);
        assertThat(back.intervals()).containsExactly(new IntervalMax(0, 1, 1_000, 2_000, 3, 3_000));
        assertThat(back.threads()).hasSize(2);
        ThreadResult t = back.threads().get(0);
        assertThat(List.of(t.thread(), t.cpu())).containsExactly(0, 1);
        assertThat(List.of(t.intervalNs(), t.count(), t.minNs(), t.maxNs(), t.sumNs(), t.overruns()))
                .containsExactly(1_000_000L, 3L, 1_000L, 3_000L, 6_000L, 2L);
        assertThat(t.histogram().getTotalCount()).isEqualTo(3);
        assertThat(t.histogram().getValueAtPercentile(50)).isEqualTo(t.histogram().highestEquivalentValue(2_000));
        assertThat(t.spikes()).containsExactly(new Spike(3_000, 7, 1_000_000));
    }

    @Test
    void aWrongFileIsRefusedNamingTheField() {
        String good = new Spill("r.db", 1, 0, 1, ScenarioStatus.DONE, null, Map.of(), List.of(), false, List.of(thread(0, 1)), List.of()).write();
        assertThatThrownBy(() -> Spill.read("s.json", good.replace("\"version\" : 1", "\"version\" : 9")))
                .isInstanceOf(FormatException.class).hasMessageContaining("s.json").hasMessageContaining("version");
        assertThatThrownBy(() -> Spill.read("s.json", good.replace("\"count\" : 1", "\"count\" : \"many\"")))
                .isInstanceOf(FormatException.class).hasMessageContaining("count");
        assertThatThrownBy(() -> Spill.read("s.json", "{\"format\": \"other\"}")).isInstanceOf(FormatException.class).hasMessageContaining("format");
        assertThatThrownBy(() -> new Spill("r.db", 1, 0, 1, ScenarioStatus.RUNNING, null, Map.of(), List.of(), false, List.of(), List.of()))
                .hasMessageContaining("status");
    }
}
