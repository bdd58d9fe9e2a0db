package org.vmlat.probe.cyclictest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmlat.os.SchedPolicy;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.cyclictest.CyclictestCommandLine.Mode;

class CyclictestCommandLineTest {
    static final long MS = 1_000_000, S = 1_000_000_000L;

    static ProbeSpec spec(SchedPolicy policy, int priority, long intervalNs, int threads, List<Integer> cpus, long durationNs,
                          long loops, boolean mlockall, long breaktraceNs, long histogramMaxNs) {
        return new ProbeSpec(policy, priority, intervalNs, 0, threads, cpus, durationNs, loops, mlockall, breaktraceNs, false, 10, 0,
                histogramMaxNs);
    }

    /** What `vmlat measure` runs by default on CPU 1 for ten seconds. */
    static final ProbeSpec MEASURE = spec(SchedPolicy.FIFO, 95, MS, 1, List.of(1), 10 * S, 0, true, 0, 10 * MS);

    @Test
    void aWatchedRunCarriesEveryOptionOfTheSpec() {
        assertThat(CyclictestCommandLine.command("cyclictest", MEASURE, "/tmp/r.json"))
                .containsExactly("cyclictest", "-m", "--policy=fifo", "-p95", "-i1000", "-t1", "-a1", "-D10", "-h10000", "--json=/tmp/r.json");
        ProbeSpec many = spec(SchedPolicy.RR, 80, 250_000, 4, List.of(0, 1, 2, 3, 6), 0, 5000, false, 150_000, 400_000);
        assertThat(CyclictestCommandLine.command("/usr/local/bin/cyclictest", many, "out.json"))
                .containsExactly("/usr/local/bin/cyclictest", "--policy=rr", "-p80", "-i250", "-t4", "-a0-3,6", "-l5000", "-b150", "-h400",
                        "--json=out.json");
    }

    @Test
    void policyOtherHasNoPriorityAndATinyHistogramKeepsOneBucket() {
        ProbeSpec other = spec(SchedPolicy.OTHER, 0, 2 * MS, 2, List.of(), 3 * S, 0, true, 0, 500);
        assertThat(CyclictestCommandLine.options(other, Mode.WATCHED))
                .containsExactly("-m", "--policy=other", "-i2000", "-t2", "-D3", "-h1");
    }

    @Test
    void anUnattendedRunIsQuietLockedAndEndsItselfByLoops() {
        // a lab scenario on a QEMU guest: 2 s at 1 ms, affinity 1 on the host
        ProbeSpec lab = spec(SchedPolicy.FIFO, 95, MS, 1, List.of(1), 2 * S, 0, true, 0, 2 * MS);
        assertThat(CyclictestCommandLine.options(lab, Mode.UNATTENDED))
                .containsExactly("-m", "--policy=fifo", "-p95", "-i1000", "-t1", "-D2", "-l2000", "-h2000", "-q");
        // no mlockall asked, pinning and a break trace: memory is locked anyway, the others are not passed on
        ProbeSpec odd = spec(SchedPolicy.RR, 50, 300_000, 2, List.of(0, 1), S, 0, false, 100_000, MS);
        assertThat(CyclictestCommandLine.options(odd, Mode.UNATTENDED))
                .containsExactly("-m", "--policy=rr", "-p50", "-i300", "-t2", "-D1", "-l3333", "-h1000", "-q");
        // loops fewer than the duration's periods end it first
        ProbeSpec fewLoops = spec(SchedPolicy.FIFO, 95, MS, 1, List.of(), 5 * S, 700, true, 0, MS);
        assertThat(CyclictestCommandLine.options(fewLoops, Mode.UNATTENDED)).contains("-D5", "-l700");
    }

    @Test
    void whatCyclictestCannotExpressExactlyIsRefused() {
        assertThatThrownBy(() -> CyclictestCommandLine.options(spec(SchedPolicy.FIFO, 95, 1500, 1, List.of(), S, 0, true, 0, MS), Mode.WATCHED))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cyclictest takes -i and -d in whole microseconds, got 1500 ns / 0 ns");
        assertThatThrownBy(() -> CyclictestCommandLine.options(spec(SchedPolicy.FIFO, 95, MS, 1, List.of(), 1500 * MS, 0, true, 0, MS), Mode.UNATTENDED))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cyclictest takes -D in whole seconds, got 1500000000 ns");
        assertThatThrownBy(() -> CyclictestCommandLine.options(spec(SchedPolicy.FIFO, 95, MS, 1, List.of(), S, 0, true, 2500, MS), Mode.WATCHED))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cyclictest takes -b in whole microseconds, got 2500 ns");
        assertThatThrownBy(() -> CyclictestCommandLine.options(spec(SchedPolicy.FIFO, 95, MS, 1, List.of(), 0, 0, true, 0, MS), Mode.UNATTENDED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a duration");
        assertThat(CyclictestCommandLine.options(spec(SchedPolicy.FIFO, 95, MS, 1, List.of(), 0, 0, true, 0, MS), Mode.WATCHED))
                .doesNotContain("-D0").doesNotContain("-l0");
    }

    static ProbeSpec withSetup(ProbeSpec.Setup setup, long breaktraceNs) {
        return new ProbeSpec(SchedPolicy.FIFO, 95, MS, 0, 3, List.of(0, 1), 10 * S, 0, true, breaktraceNs, false, 10, 0, 10 * MS, setup);
    }

    @Test
    void cyclictestsSetupOptionsArePassedOnWithItsNames() {
        ProbeSpec.Setup all = new ProbeSpec.Setup(true, 250_000, ProbeSpec.Clock.REALTIME, 10, 1, List.of(1), true, true);
        assertThat(CyclictestCommandLine.options(withSetup(all, 100_000), Mode.WATCHED))
                .containsExactly("-m", "--policy=fifo", "-p95", "-i1000", "-t3", "-a0-1", "-D10", "-b100", "-h10000",
                        "--priospread", "-A250", "-c1", "--latency=10", "--mainaffinity=1", "--tracemark", "--smi");
        // cyclictest's defaults give no option at all; --default-system leaves /dev/cpu_dma_latency alone; -A alone is -A0
        assertThat(CyclictestCommandLine.options(withSetup(ProbeSpec.Setup.DEFAULT, 0), Mode.WATCHED))
                .containsExactly("-m", "--policy=fifo", "-p95", "-i1000", "-t3", "-a0-1", "-D10", "-h10000");
        ProbeSpec.Setup untouched = new ProbeSpec.Setup(false, 0, ProbeSpec.Clock.MONOTONIC, -1, -2, List.of(), false, false);
        assertThat(CyclictestCommandLine.options(withSetup(untouched, 0), Mode.WATCHED)).endsWith("-h10000", "-A0", "--default-system");
        // --tracemark means nothing without -b: cyclictest would open the trace for nothing
        ProbeSpec.Setup markOnly = new ProbeSpec.Setup(false, -1, ProbeSpec.Clock.MONOTONIC, 0, -2, List.of(), true, false);
        assertThat(CyclictestCommandLine.options(withSetup(markOnly, 0), Mode.WATCHED)).doesNotContain("--tracemark");
    }

    @Test
    void anUnattendedRunKeepsTheThreadsSetupButNotTheHosts() {
        ProbeSpec.Setup all = new ProbeSpec.Setup(true, 250_000, ProbeSpec.Clock.REALTIME, 10, 1, List.of(1), true, true);
        assertThat(CyclictestCommandLine.options(withSetup(all, 100_000), Mode.UNATTENDED))
                .containsExactly("-m", "--policy=fifo", "-p95", "-i1000", "-t3", "-D10", "-l10000", "-h10000",
                        "--priospread", "-A250", "-c1", "--latency=10", "-q");
    }

    @Test
    void anAlignmentOffsetBelowAMicrosecondIsRefused() {
        ProbeSpec.Setup odd = new ProbeSpec.Setup(false, 1500, ProbeSpec.Clock.MONOTONIC, 0, -2, List.of(), false, false);
        assertThatThrownBy(() -> CyclictestCommandLine.options(withSetup(odd, 0), Mode.WATCHED))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cyclictest takes -A in whole microseconds, got 1500 ns");
    }

    @Test
    void aPrioritySpreadBelowOneIsRefusedByTheSpec() {
        ProbeSpec.Setup spread = new ProbeSpec.Setup(true, -1, ProbeSpec.Clock.MONOTONIC, 0, -2, List.of(), false, false);
        assertThatThrownBy(() -> new ProbeSpec(SchedPolicy.FIFO, 2, MS, 0, 3, List.of(), S, 0, true, 0, false, 10, 0, MS, spread))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("priority spread from 2 over 3 threads goes below 1: start at 3 or higher");
        ProbeSpec ok = new ProbeSpec(SchedPolicy.FIFO, 3, MS, 0, 3, List.of(), S, 0, true, 0, false, 10, 0, MS, spread);
        assertThat(List.of(ok.priority(0), ok.priority(1), ok.priority(2))).containsExactly(3, 2, 1);
    }

    @Test
    void aDistanceForSeveralThreadsIsRefusedBecauseCyclictestDropsItWithAHistogram() {
        ProbeSpec spread = new ProbeSpec(SchedPolicy.FIFO, 95, MS, 100_000, 2, List.of(), S, 0, true, 0, false, 10, 0, 10 * MS);
        assertThatThrownBy(() -> CyclictestCommandLine.options(spread, Mode.WATCHED))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(CyclictestCommandLine.DISTANCE_IGNORED);
        ProbeSpec one = new ProbeSpec(SchedPolicy.FIFO, 95, MS, 100_000, 1, List.of(), S, 0, true, 0, false, 10, 0, 10 * MS);
        assertThat(CyclictestCommandLine.options(one, Mode.WATCHED)).noneMatch(o -> o.startsWith("-d"));
    }

    @Test
    void furtherArgumentsComeLastAndTheOptionsVmlatSetsAreNamedWhenOverridden() {
        ProbeSpec.Setup extra = new ProbeSpec.Setup(false, -1, ProbeSpec.Clock.MONOTONIC, 0, -2, List.of(), false, false,
                List.of("--priospread", "--mainaffinity=0"));
        assertThat(CyclictestCommandLine.command("cyclictest", withSetup(extra, 0), "r.json")).endsWith("-h10000", "--priospread",
                "--mainaffinity=0", "--json=r.json");
        assertThat(java.util.stream.Stream.of("-D5", "--duration=5", "-i100", "-t", "-a0", "-p1", "-h20", "--json=x", "--policy=rr", "-b9",
                "-d5", "-S", "-N", "--nsecs").map(CyclictestCommandLine::reservedBy)).containsExactly("-D", "--duration", "-i", "-t", "-a", "-p", "-h",
                "--json", "--policy", "-b", "-d", "-S", "-N", "--nsecs");
        assertThat(java.util.stream.Stream.of("--priospread", "--latency=10", "-A100", "--smi", "--tracemark", "-c1", "1000")
                .map(CyclictestCommandLine::reservedBy)).containsOnlyNulls();
    }
}
