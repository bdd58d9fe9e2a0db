package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmlat.cli.CliTest.run;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmlat.os.SystemFactsReader;

/** cyclictest's setup options on {@code measure}: what is refused and why, and what a run prints. */
class SetupOptionsCliTest {

    @Test
    void badCombinationsAreUsageErrorsNamingTheOption() {
        List<String[]> cases = List.of(
                new String[] {"-S -t 2", "-S/--smp sets the threads (one per online CPU) and their CPUs itself: leave out -t and -a"},
                new String[] {"-S -a 0", "-S/--smp sets the threads (one per online CPU) and their CPUs itself: leave out -t and -a"},
                new String[] {"--tracemark", "--tracemark: marks the trace when -b is exceeded: give -b too"},
                new String[] {"-c 2", "-c/--clock: expected 0 (monotonic) or 1 (realtime), got \"2\""},
                new String[] {"--priospread -p 2 -t 3", "--priospread: priority spread from 2 over 3 threads goes below 1: start at 3 or higher"},
                new String[] {"--mainaffinity 4095", "--mainaffinity: CPU 4095 does not exist or is offline"},
                new String[] {"--dma-latency -3", "--dma-latency: expected 0 us or more, got -3"},
                new String[] {"--deepest-idle-state -4", "--deepest-idle-state: expected -1 (all disabled) or a state number, got -4"},
                new String[] {"--smi", "--smi: the SMI counter is per CPU: pin the threads with -a or -S"});
        for (String[] c : cases) {
            String[] args = ("measure -D 1 " + c[0]).split(" ");
            CliTest.Run r = run(args);
            assertThat(r.code()).as(c[0] + ": " + r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(c[0]).contains(c[1]);
        }
        System.out.println("bad setup combinations refused: " + cases.size());
    }

    @Test
    void smpRunsOneThreadPerCpuInNanosecondsAndTheHeaderSaysWhatDiffersFromCyclictest() {
        int cpus = SystemFactsReader.live().onlineCpus().size();
        CliTest.Run r = run("measure", "-S", "--priospread", "-N", "-D", "1", "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("# setup: SCHED_FIFO 95 spread down to " + (96 - cpus) + " (cyclictest: SCHED_OTHER unless -p), ")
                .contains("mlockall on (cyclictest: off unless -m)").contains("/dev/cpu_dma_latency 0us")
                .contains("Latencies in ns (wake-up minus intended wake-up).");
        long rows = r.out().lines().filter(l -> l.matches("\\d+\\s+\\d+\\s+1000\\s+\\d+\\s+\\d+(\\s+\\d+){8}")).count();
        assertThat(rows).as(r.out()).isEqualTo(cpus);
    }

    /** Where the CPU has no SMI counter (a VM's, an AMD's) the run stops before measuring and says why. */
    @Test
    void smiWithoutTheCounterSaysWhy() {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.vmlat.os.SmiCounter.unavailable().isPresent(), "this CPU has the counter");
        CliTest.Run r = run("measure", "--smi", "-a", "0", "-D", "1", "-q");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("--smi: ").contains(org.vmlat.os.SmiCounter.unavailable().get());
        assertThat(r.out()).doesNotContain("Latencies in");
    }
}
