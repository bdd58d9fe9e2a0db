package org.vmlat.probe.builtin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.vmlat.os.IdleStates;
import org.vmlat.os.SmiCounter;
import org.vmlat.os.SystemFactsReader;
import org.vmlat.os.TraceMarker;
import org.vmlat.probe.ProbeException;
import org.vmlat.probe.ProbeSpec;

/**
 * What the builtin probe holds on the machine besides its threads, for as long as it measures:
 * limited idle states ({@code --deepest-idle-state}), the open trace marker ({@code --tracemark})
 * and the SMI counts at the start ({@code --smi}). Everything is set up before the first
 * activation, so a refusal stops the run before it measures.
 */
final class MachineSetup {
    private final ProbeSpec spec;
    private final IdleStates idle;
    private final TraceMarker marker;
    private final AtomicBoolean marked = new AtomicBoolean();
    private final long[] smiStart;
    private final long[] smiEnd;
    private volatile String markFailure;

    private MachineSetup(ProbeSpec spec, IdleStates idle, TraceMarker marker) {
        this.spec = spec;
        this.idle = idle;
        this.marker = marker;
        this.smiStart = new long[spec.threads()];
        this.smiEnd = new long[spec.threads()];
    }

    /** @throws ProbeException naming the option whose setup the machine refused */
    static MachineSetup prepare(ProbeSpec spec) {
        ProbeSpec.Setup u = spec.setup();
        if (u.smi()) {
            SmiCounter.unavailable().ifPresent(why -> {
                throw new ProbeException("--smi: " + why);
            });
        }
        IdleStates idle = null;
        if (u.deepestIdleState() >= -1) {
            List<Integer> cpus = spec.cpus().isEmpty() ? SystemFactsReader.live().onlineCpus() : spec.cpus();
            try {
                idle = IdleStates.limit(IdleStates.SYSFS_CPUS, cpus, u.deepestIdleState());
            } catch (IOException e) {
                throw new ProbeException("--deepest-idle-state: " + e.getMessage(), e);
            }
        }
        TraceMarker marker = null;
        if (u.tracemark() && spec.breaktraceNs() > 0) {
            try {
                marker = TraceMarker.open(TraceMarker.tracefs());
            } catch (IOException e) {
                if (idle != null) idle.close();
                throw new ProbeException("--tracemark: cannot open the kernel trace's trace_marker and tracing_on: " + e.getMessage(), e);
            }
        }
        return new MachineSetup(spec, idle, marker);
    }

    void smiStart() {
        if (spec.setup().smi()) read(smiStart);
    }

    void smiEnd() {
        if (spec.setup().smi()) read(smiEnd);
    }

    private void read(long[] into) {
        for (int t = 0; t < into.length; t++) {
            try {
                into[t] = SmiCounter.read(spec.cpu(t));
            } catch (IOException e) {
                into[t] = -1;
            }
        }
    }

    /** On the measuring thread that crossed {@code -b}: the mark and the end of the trace, once for the run. */
    void breakHit(int thread, long cycle, long latencyNs, long thresholdNs) {
        if (marker == null || !marked.compareAndSet(false, true)) return;
        try {
            // cyclictest's words and units first, so what finds its marks finds vmlat's
            marker.mark(String.format(Locale.ROOT, "hit latency threshold (%d > %d) vmlat thread %d cycle %d latency %d ns",
                    latencyNs / 1000, thresholdNs / 1000, thread, cycle, latencyNs));
        } catch (IOException e) {
            markFailure = e.getMessage();
        }
    }

    void report(Map<String, String> settings, List<String> warnings) {
        if (marker != null) {
            if (markFailure != null) warnings.add("--tracemark: the mark could not be written: " + markFailure);
            else if (marked.get()) warnings.add("trace marked and stopped (tracing_on = 0) in " + marker.dir() + " at the spike");
        }
        if (spec.setup().smi()) {
            List<String> counts = new ArrayList<>();
            for (int t = 0; t < smiStart.length; t++) {
                long n = smiStart[t] < 0 || smiEnd[t] < 0 ? -1 : smiEnd[t] - smiStart[t];
                counts.add(n < 0 ? "?" : Long.toString(n));
                if (n > 0) warnings.add("thread " + t + ": " + n + " SMI(s) on CPU " + spec.cpu(t) + " while measuring");
            }
            settings.put("smis", String.join(",", counts));
        }
        if (idle != null) settings.put("idle_states_disabled", Integer.toString(idle.disabled().size()));
    }

    void close(List<String> warnings) {
        if (marker != null) marker.close();
        if (idle != null) {
            try {
                idle.close();
            } catch (IllegalStateException e) {
                warnings.add(e.getMessage());
            }
        }
    }
}
