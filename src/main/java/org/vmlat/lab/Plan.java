package org.vmlat.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmlat.load.LoadSpec;
import org.vmlat.os.SchedPolicy;
import org.vmlat.targets.Target;
import org.vmlat.targets.TargetContext;
import org.vmlat.targets.TargetKind;
import org.vmlat.targets.TargetSettings;

/**
 * A lab plan as read from its file: the matrix of dimensions and the fixed settings. See
 * docs/lab.md for the file format.
 *
 * @param dimensions   dimension name -> values in file order (target, probe, interval, load,
 *                     priority; repetition is added by {@link Matrix})
 * @param traceThresholdNs  0: no tracing; else the kernel is traced beside builtin probes on this machine and spikes
 *                     from this latency are explained ([probe] explain / trace_threshold)
 * @param excludes     combinations to leave out: each is dimension -> allowed values; a scenario
 *                     matching every entry of one exclude is dropped
 */
public record Plan(String name, String source, String text, long durationNs, long warmupNs, int repetitions,
                   long timeoutNs, Map<String, List<String>> dimensions, Map<String, TargetSpec> targets,
                   Map<String, LoadSpec> loads, int threads, List<Integer> affinity, SchedPolicy policy,
                   long histogramMaxNs, List<Map<String, List<String>>> excludes, long traceThresholdNs, ProbeKeys probeKeys) {

    /** A plan with the probe's timing defaults. */
    public Plan(String name, String source, String text, long durationNs, long warmupNs, int repetitions,
                long timeoutNs, Map<String, List<String>> dimensions, Map<String, TargetSpec> targets,
                Map<String, LoadSpec> loads, int threads, List<Integer> affinity, SchedPolicy policy,
                long histogramMaxNs, List<Map<String, List<String>>> excludes, long traceThresholdNs) {
        this(name, source, text, durationNs, warmupNs, repetitions, timeoutNs, dimensions, targets, loads, threads, affinity, policy,
                histogramMaxNs, excludes, traceThresholdNs, ProbeKeys.DEFAULT);
    }

    /**
     * The [probe] keys with cyclictest's meanings.
     *
     * @param distanceNs     thread t's interval grows by t times this ({@code distance}, cyclictest's -d)
     * @param breaktraceNs   stop at the first latency above this, 0 = off ({@code breaktrace}, -b)
     * @param cyclictestArgs further options for the cyclictest probe only ({@code cyclictest_args})
     */
    public record ProbeKeys(long distanceNs, long breaktraceNs, List<String> cyclictestArgs) {
        public static final ProbeKeys DEFAULT = new ProbeKeys(0, 0, List.of());

        public ProbeKeys {
            cyclictestArgs = List.copyOf(cyclictestArgs);
            if (distanceNs < 0 || breaktraceNs < 0) throw new IllegalArgumentException("distance and breaktrace must be >= 0");
        }
    }

    /** A plan without kernel tracing. */
    public Plan(String name, String source, String text, long durationNs, long warmupNs, int repetitions,
                long timeoutNs, Map<String, List<String>> dimensions, Map<String, TargetSpec> targets,
                Map<String, LoadSpec> loads, int threads, List<Integer> affinity, SchedPolicy policy,
                long histogramMaxNs, List<Map<String, List<String>>> excludes) {
        this(name, source, text, durationNs, warmupNs, repetitions, timeoutNs, dimensions, targets, loads, threads, affinity, policy,
                histogramMaxNs, excludes, 0);
    }

    public Plan {
        if (traceThresholdNs < 0) throw new IllegalArgumentException("traceThresholdNs must be >= 0 (0: no tracing), got " + traceThresholdNs);
    }

    /** Whether the kernel is traced beside the probe and spikes from {@link #traceThresholdNs} explained. */
    public boolean explain() {
        return traceThresholdNs > 0;
    }

    /**
     * Where a probe runs: a target of the plan, its kind and the settings its kind read.
     *
     * @param settings  a record of the kind's settings type
     * @param hostGroup the physical machine it measures on, shared with the plan's other targets
     *                  of the same group ({@code host_group}); null: the machine of the vmlat
     *                  that runs it
     */
    public record TargetSpec(String name, TargetKind<?> kind, TargetSettings settings, String hostGroup) {
        public TargetSpec {
            if (!kind.settingsType().isInstance(settings)) {
                throw new IllegalArgumentException("target " + name + ": settings " + settings + " are not " + kind.name() + " settings");
            }
            if (hostGroup != null && hostGroup.isBlank()) throw new IllegalArgumentException("target " + name + ": hostGroup: must not be blank");
        }

        public TargetSpec(String name, TargetKind<?> kind, TargetSettings settings) {
            this(name, kind, settings, null);
        }

        /** The settings as their kind's record type, e.g. {@code settings(XenSettings.class).mode()}. */
        public <S extends TargetSettings> S settings(Class<S> type) {
            return type.cast(settings);
        }

        /** The spec one scenario runs with: the values of the dimensions its kind understands applied. */
        public TargetSpec forScenario(Map<String, String> dims) {
            Map<String, String> own = new LinkedHashMap<>();
            dims.forEach((d, v) -> {
                if (kind.understands(d)) own.put(d, v);
            });
            return own.isEmpty() ? this : new TargetSpec(name, kind, settings.forScenario(own), hostGroup);
        }

        /** Creates this target for a run through its kind. */
        public Target create(TargetContext context) {
            return kind.createFrom(name, settings, context);
        }
    }
}
