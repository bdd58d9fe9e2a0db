package org.vmlat.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExplanationSummaryTest {
    static SpikeExplanation spike(long l1, long l2, long i, List<Cause> causes) {
        return new SpikeExplanation(0, 10, 1, 1_000, l1 + l2 + i, true, 1_000 + l1, 1_000 + l1, 1_000 + l1 + l2 + i, l1, l2, i, 0, causes, "");
    }

    static final Cause HACKBENCH = new Cause(Part.INTERFERENCE, Cause.Kind.TASK, "hackbench", 4711, 2, 300);
    static final Cause LATE = new Cause(Part.TIMER_LATE, Cause.Kind.LATE_TIMER, "timer interrupt late (CPU held by x)", 5, 120, 100);

    @Test
    void sharesAndTopCausesOverSpikes() {
        SpikeExplanation a = spike(100, 0, 300, List.of(HACKBENCH, LATE));
        SpikeExplanation b = spike(0, 200, 300, List.of(HACKBENCH, new Cause(Part.NON_PREEMPTIBLE, Cause.Kind.KERNEL, "return to user space", -1, -1, 200)));
        ExplanationSummary s = ExplanationSummary.of(List.of(a, b), 2);
        assertThat(s.spikes()).isEqualTo(2);
        assertThat(s.latencyNs()).isEqualTo(900);
        // L1 100 of 900, L2 200, I 600
        assertThat(s.share(Part.TIMER_LATE)).isEqualTo(100.0 / 900);
        assertThat(s.share(Part.NON_PREEMPTIBLE)).isEqualTo(200.0 / 900);
        assertThat(s.share(Part.INTERFERENCE)).isEqualTo(600.0 / 900);
        assertThat(s.topCauses()).containsExactly(
                new ExplanationSummary.TopCause(new Cause(Part.INTERFERENCE, Cause.Kind.TASK, "hackbench", 4711, 2, 600), 2),
                new ExplanationSummary.TopCause(new Cause(Part.NON_PREEMPTIBLE, Cause.Kind.KERNEL, "return to user space", -1, -1, 200), 1));
        assertThat(ExplanationText.summary(s)).contains("L1 11%, L2 22%, I 67%").contains("I       0.6us  hackbench (pid 4711, prio 2) (in 2 spikes)");
    }

    @Test
    void partsMustAddUpToTheLatencyAndCausesToTheParts() {
        assertThatThrownBy(() -> new SpikeExplanation(0, 10, 1, 1_000, 500, true, 0, 0, 0, 100, 100, 100, 0, List.of(), ""))
                .hasMessageContaining("must equal latencyNs 500");
        assertThatThrownBy(() -> spike(100, 0, 300, List.of(HACKBENCH))).hasMessageContaining("causes must add up to");
    }

    @Test
    void jsonRoundTrip() {
        List<SpikeExplanation> in = List.of(spike(100, 0, 300, List.of(HACKBENCH, LATE)).withTrace("/tmp/spike-10-1000.trace"));
        String json = ExplanationJson.write(in);
        assertThat(json).startsWith("{\"format\":\"vmlat-explain/1\"");
        assertThat(ExplanationJson.read(json)).isEqualTo(in);
        assertThatThrownBy(() -> ExplanationJson.read("{\"format\":\"other/2\",\"spikes\":[]}")).hasMessageContaining("format must be vmlat-explain/1");
    }

    /** The timeline is kept with the explanation; explanations stored before it read back with none. */
    @Test
    void theTimelineSurvivesJsonAndOlderJsonHasNone() {
        SpikeExplanation plain = spike(100, 0, 300, List.of(HACKBENCH, LATE));
        SpikeExplanation timed = new SpikeExplanation(0, 10, 1, 1_000, 400, true, 1_100, 1_100, 1_400, 100, 0, 300, 0, List.of(HACKBENCH, LATE), "",
                List.of(new SpikeExplanation.Segment(1_000, 1_100, Part.TIMER_LATE, LATE.label()),
                        new SpikeExplanation.Segment(1_100, 1_400, Part.INTERFERENCE, HACKBENCH.label())));
        assertThat(ExplanationJson.read(ExplanationJson.write(List.of(timed)))).containsExactly(timed);
        String older = ExplanationJson.write(List.of(plain)).replace(",\"timeline\":[]", "");
        assertThat(older).doesNotContain("timeline");
        assertThat(ExplanationJson.read(older).get(0).timeline()).isEmpty();
    }

    @Test
    void aTimelineMustHoldEachPartAsTheExplanationDoes() {
        // L1 100 ns drawn as 90: the stretches must add up to the parts
        assertThatThrownBy(() -> new SpikeExplanation(0, 10, 1, 1_000, 400, true, 1_100, 1_100, 1_400, 100, 0, 300, 0, List.of(HACKBENCH, LATE), "",
                List.of(new SpikeExplanation.Segment(1_000, 1_090, Part.TIMER_LATE, LATE.label()),
                        new SpikeExplanation.Segment(1_100, 1_400, Part.INTERFERENCE, HACKBENCH.label()))))
                .hasMessageContaining("the L1 segments add up to 90 ns, not 100");
        assertThatThrownBy(() -> new SpikeExplanation.Segment(10, 5, Part.INTERFERENCE, "x")).hasMessageContaining("ends (5) before it starts (10)");
    }
}
