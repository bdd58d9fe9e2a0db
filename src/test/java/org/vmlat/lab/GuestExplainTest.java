package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.explain.Cause;
import org.vmlat.explain.SpikeExplanation;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;

/**
 * A guest scenario with explain on, in a real PREEMPT_RT guest under emulation (TCG): the guest traces its own kernel
 * around cyclictest, the trace comes back with the result, and the guest's late wake-ups are explained and stored
 * with the scenario. Under emulation a 1 ms cyclictest always has wake-ups later than 300 us.
 */
class GuestExplainTest {
    private static final long THRESHOLD_NS = 300_000;

    @Test
    void aGuestsSpikesAreExplainedFromItsOwnTrace(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "qemu-system-x86 not installed");
        Path db = dir.resolve("r.db");
        TracedGuestRun.runToEnd(TracedGuestRun.plan(dir, "guest-explain", "3s", "300us", ""), db);
        TracedGuestRun.Stored stored = TracedGuestRun.read(db);
        ScenarioRecord r = stored.scenario();
        assertThat(r.status()).isEqualTo(ScenarioStatus.DONE);
        assertThat(r.settings()).containsEntry(SettingsKeys.TRACE_THRESHOLD_NS, Long.toString(THRESHOLD_NS));
        long traceBytes = Long.parseLong(r.settings().get(TracedTargetExplanations.TRACE_BYTES));
        List<SpikeExplanation> spikes = stored.spikes();
        System.out.println(spikes.size() + " guest spikes explained from a trace of " + traceBytes + " bytes (gzip), warnings: " + r.warnings());
        assertThat(traceBytes).isPositive();
        assertThat(spikes).isNotEmpty();
        long maxNs = r.threads().get(0).maxNs();
        int tid = spikes.get(0).tid();
        // open: one spike in about 800 (1 run in 4) had its parts 73 us short of L (docs/explain.md); tolerated up
        // to 1 % of the spikes and printed, so that a systematic error still fails
        List<SpikeExplanation> partsShort = spikes.stream().filter(e -> e.l1Ns() + e.l2Ns() + e.interferenceNs() != e.latencyNs()).toList();
        System.out.println(partsShort.size() + " of " + spikes.size() + " spikes whose parts do not add up to L: " + partsShort);
        assertThat(partsShort.size()).as("spikes whose parts do not add up to L").isLessThanOrEqualTo(spikes.size() / 100);
        for (SpikeExplanation e : spikes) {
            assertThat(e.tid()).as("one measuring thread").isEqualTo(tid);
            assertThat(e.thread()).isZero();
            assertThat(e.measured()).isFalse();
            assertThat(e.latencyNs()).isGreaterThanOrEqualTo(THRESHOLD_NS);
            // the trace's latency ends at the switch-in, before cyclictest's own clock read
            assertThat(e.latencyNs()).isLessThanOrEqualTo(maxNs + 1000);
            assertThat(e.switchInNs() - e.expiresNs()).isEqualTo(e.latencyNs());
            assertThat(e.expiresNs()).isLessThanOrEqualTo(e.timerIrqNs());
            assertThat(e.timerIrqNs()).isLessThanOrEqualTo(e.wakeupNs());
            assertThat(e.wakeupNs()).isLessThanOrEqualTo(e.switchInNs());
            assertThat(e.causes().stream().mapToLong(Cause::durationNs).sum()).isEqualTo(e.latencyNs());
            Path trace = Path.of(e.trace());
            assertThat(trace).exists();
            assertThat(Files.readString(trace)).contains("next_comm=cyclictest next_pid=" + tid + " ");
        }
        assertThat(GuestSmokeTest.qemuLeft()).as("QEMU processes left").isEmpty();
    }
}
