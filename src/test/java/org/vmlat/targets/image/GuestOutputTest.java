package org.vmlat.targets.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.ThreadResult;
import org.vmlat.probe.ProbeException;

/**
 * A Xen guest's console as xl console hands it over: \r\n line ends, kernel lines around the
 * block, cyclictest's histogram with the empty rows left out, its JSON without histogram entries.
 */
class GuestOutputTest {
    static String console() throws Exception {
        try (var in = GuestOutputTest.class.getResourceAsStream("/xen/pvh-console.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void readsTheSparseHistogramFactsAndExitCode() throws Exception {
        GuestOutput g = GuestOutput.parse("console", console(), 1_000_000, 1_000_000_000L);
        assertThat(g.threads()).hasSize(1);
        ThreadResult t = g.threads().get(0);
        assertThat(t.count()).isEqualTo(1000);
        assertThat(t.histogram().getTotalCount()).isEqualTo(1000);
        assertThat(t.minNs()).isEqualTo(12_000);
        assertThat(t.maxNs()).isEqualTo(60_000);
        assertThat(t.histogram().getCountAtValue(60_000)).isEqualTo(1);
        assertThat(t.histogram().getCountAtValue(12_000)).isEqualTo(8);
        assertThat(t.overruns()).isZero(); // 1 s at 1 ms = 1000 periods, all seen
        assertThat(g.facts()).containsEntry("guest.guest_type", "PVH").containsEntry("guest.clocksource", "xen")
                .containsEntry("guest.xen_version", "4.17.7").containsEntry("guest.cyclictest.sysname", "Linux");
        assertThat(g.cyclictestVersion()).isEqualTo("2.40");
        assertThat(g.exitCode()).isZero();
    }

    @Test
    void missedPeriodsAreEstimatedFromTheDuration() throws Exception {
        GuestOutput g = GuestOutput.parse("console", console(), 1_000_000, 2_000_000_000L);
        assertThat(g.threads().get(0).overruns()).isEqualTo(1000);
    }

    @Test
    void aRunThatOutlivedItsDurationCountsMissedPeriodsOverItsWallTime() throws Exception {
        String starved = console().replace("xen_version=4.17.7", "xen_version=4.17.7 elapsed=31.5");
        GuestOutput g = GuestOutput.parse("console", starved, 1_000_000, 1_000_000_000L);
        assertThat(g.threads().get(0).overruns()).isEqualTo(31_500 - 1000);
        assertThat(g.overrunWarning(1_000_000_000L)).startsWith("cyclictest ran 31.5 s in the guest for a 1 s duration");
        // a few hundred milliseconds of start-up are not a starved timer
        GuestOutput normal = GuestOutput.parse("console", console().replace("xen_version=4.17.7", "xen_version=4.17.7 elapsed=1.3"), 1_000_000, 1_000_000_000L);
        assertThat(normal.threads().get(0).overruns()).isZero();
        assertThat(normal.overrunWarning(1_000_000_000L)).isNull();
    }

    @Test
    void aTruncatedConsoleIsAnErrorNotAnEmptyResult() throws Exception {
        String cut = console().substring(0, console().indexOf("VMLAT-END-OUT"));
        assertThat(cut).doesNotContain(GuestOutput.DONE);
        assertThatThrownBy(() -> GuestOutput.parse("console", cut, 1_000_000, 1_000_000_000L)).isInstanceOf(ProbeException.class)
                .hasMessageContaining("incomplete");
    }

    /** A serving guest's report of what is left after a scenario: nothing, processes, or no report at all. */
    @Test
    void readsWhatTheGuestLeftAfterAScenario() {
        assertThat(GuestOutput.leftover("VMLAT-RC 0\r\nVMLAT-CLEAN id=2 left=none\r\nVMLAT-DONE id=2;\r\n")).isEmpty();
        assertThat(GuestOutput.leftover("VMLAT-CLEAN id=7 left=hackbench:81,hackbench:82,cyclictest:90,\nVMLAT-DONE id=7;\n"))
                .isEqualTo("hackbench:81, hackbench:82, cyclictest:90");
        assertThat(GuestOutput.leftover("VMLAT-RC 0\nVMLAT-DONE id=1;\n")).isNull();
        assertThat(GuestOutput.leftover("VMLAT-CLEAN id=3")).isNull();
    }
}
