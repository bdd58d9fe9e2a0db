package org.vmlat.explain.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.explain.Cause;
import org.vmlat.explain.Part;
import org.vmlat.explain.SpikeExplanation;

/**
 * A window recorded in a PREEMPT_RT guest under emulation (cyclictest -p95, 1 ms): thread 122's wake-up due at
 * 14381238368 ns; the guest's timer interrupt came at 14.435725 (the host did not run the vCPU meanwhile: the guest
 * was idle), cyclictest was switched in at 14.435911. Its main thread (pid 121, prio 120) is in the same trace.
 */
class RecordedTraceExplainerTest {
    private static TraceRecorder.Recording cut(long thresholdNs) throws IOException {
        List<String> lines;
        try (InputStream in = RecordedTraceExplainerTest.class.getResourceAsStream("/org/vmlat/explain/guest-cyclictest-window.trace")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        RecordedTraceExplainer.LateWakeups late = new RecordedTraceExplainer.LateWakeups(-1, thresholdNs);
        lines.forEach(late::accept);
        TraceRecorder.Offline cutter = new TraceRecorder.Offline(RecordedTraceExplainer.settings(thresholdNs), late.worst(200));
        lines.forEach(cutter::accept);
        return cutter.finish(0);
    }

    @Test
    void theMeasuringThreadsLateWakeupIsFoundAndExplainedFromTheTraceAlone(@TempDir Path dir) throws IOException {
        SpikeExplainer.Outcome o = RecordedTraceExplainer.explain(cut(300_000), 99 - 95, 300_000, dir);

        assertThat(o.problems()).isEmpty();
        assertThat(o.explained()).hasSize(1);
        SpikeExplanation e = o.explained().get(0);
        assertThat(e.tid()).isEqualTo(122);
        assertThat(e.thread()).isZero();
        assertThat(e.measured()).isFalse();
        assertThat(e.expiresNs()).isEqualTo(14_381_238_368L);
        // by hand from the lines: local_timer_entry 14.435725 - expires; sched_switch 14.435911 - expires
        assertThat(e.l1Ns()).isEqualTo(14_435_725_000L - 14_381_238_368L);
        assertThat(e.latencyNs()).isEqualTo(14_435_911_000L - 14_381_238_368L);
        assertThat(e.timerIrqNs()).isEqualTo(14_435_725_000L);
        assertThat(e.switchInNs()).isEqualTo(14_435_911_000L);
        assertThat(e.l1Ns() + e.l2Ns() + e.interferenceNs()).isEqualTo(e.latencyNs());
        Cause top = e.causes().get(0);
        assertThat(top.part()).isEqualTo(Part.TIMER_LATE);
        assertThat(top.name()).contains("swapper/0");
        List<String> kept = Files.readAllLines(Path.of(e.trace()));
        assertThat(kept).anyMatch(l -> l.contains("next_comm=cyclictest next_pid=122 next_prio=4"));
    }

    @Test
    void theFirstPassFindsTheLateWakeupAndKeepsOnlyTheWorst() throws IOException {
        List<String> lines;
        try (InputStream in = RecordedTraceExplainerTest.class.getResourceAsStream("/org/vmlat/explain/guest-cyclictest-window.trace")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        RecordedTraceExplainer.LateWakeups late = new RecordedTraceExplainer.LateWakeups(99 - 95, 300_000);
        lines.forEach(late::accept);
        assertThat(late.count()).isEqualTo(1);
        assertThat(late.worst(1).test(122, 14_381_238_368L)).isTrue();
        assertThat(late.worst(0).test(122, 14_381_238_368L)).isFalse();
        RecordedTraceExplainer.LateWakeups otherPrio = new RecordedTraceExplainer.LateWakeups(99 - 80, 300_000);
        lines.forEach(otherPrio::accept);
        assertThat(otherPrio.count()).isZero();
    }

    @Test
    void threadsAtAnotherPriorityAreNotTheMeasuringOnes(@TempDir Path dir) throws IOException {
        SpikeExplainer.Outcome o = RecordedTraceExplainer.explain(cut(300_000), 99 - 80, 300_000, dir);
        assertThat(o.explained()).isEmpty();
    }

    @Test
    void wakeupsBelowTheThresholdAreNotExplained(@TempDir Path dir) throws IOException {
        SpikeExplainer.Outcome o = RecordedTraceExplainer.explain(cut(60_000_000), 99 - 95, 60_000_000, dir);
        assertThat(o.explained()).isEmpty();
    }
}
