package org.vmlat.targets;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.load.LoadSpec;
import org.vmlat.os.SystemFacts;
import org.vmlat.os.check.Capabilities;
import org.vmlat.probe.Probe;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RunControl;

/**
 * Where a probe runs: this machine, a QEMU guest, a Xen guest. Its kind ({@link TargetKind})
 * creates it for a run, and the run drives its lifecycle, as rtla's {@code tool_ops}:
 * {@link #check} every target before anything runs, {@link #prepare} before each scenario (once
 * done, again cheap), {@link #measure} a scenario, {@link #close} always at the end of the run,
 * also after errors and Ctrl-C. Resources shared by several targets (a Dom0 connection) belong to
 * the run's {@link RunResources}, not to one target.
 */
public interface Target extends AutoCloseable {
    /** How long a load runs before measuring starts, and must still be running after. */
    long LOAD_SETTLE_MS = 1000;

    /**
     * A measurement and, when something around it failed (a load died), why; the data is kept.
     *
     * @param facts what the target reports about where it measured (a guest's kernel, its
     *              hypervisor), kept with the scenario whatever the keys; none for this machine,
     *              whose facts the run keeps
     */
    record Measured(MeasurementResult result, Map<String, String> facts, String failure, Optional<KernelTrace> kernelTrace) {
        public Measured {
            facts = Map.copyOf(facts);
            if (kernelTrace == null) throw new IllegalArgumentException("kernelTrace must not be null (empty when none)");
        }

        public Measured(MeasurementResult result, Map<String, String> facts, String failure) {
            this(result, facts, failure, Optional.empty());
        }

        /** The same measurement with the kernel trace recorded beside it. */
        public Measured withKernelTrace(KernelTrace trace) {
            return new Measured(result, facts, failure, Optional.of(trace));
        }

        /** A guest's measurement: every fact of the result describes the guest and its host. */
        public Measured(MeasurementResult result, String failure) {
            this(result, result.system(), failure);
        }
    }

    /**
     * What doctor judges of a machine it cannot read locally: its facts and what was tried live
     * there, and where that is.
     */
    record Inspection(String where, SystemFacts facts, Capabilities capabilities) {}

    String name();

    /** The command line of a load as this target will run it (empty for none). */
    List<String> loadCommand(LoadSpec load);

    /** The probe command as this target runs it, for the record. */
    String probeCommand(Probe probe, ProbeSpec spec);

    /**
     * Checks, before anything runs, what would make every scenario on this target fail alike
     * (an unreachable machine, a refused key); throws with the reason.
     */
    default void check() {}

    /**
     * Gets ready to measure (builds and installs guest images, decides the accelerator); does the
     * work once and returns at once afterwards. A failure fails the scenario at hand.
     */
    default void prepare() {}

    Measured measure(Probe probe, ProbeSpec spec, LoadSpec load, ProbeListener listener, RunControl control);

    /**
     * Asks the target to trace the kernel where its probe runs (a guest's own) in the measurements that follow,
     * and to bring the trace back with each ({@link Measured#kernelTrace}); false when it cannot, and nothing
     * changes. A target on this machine answers false: the run traces this machine's kernel itself.
     */
    default boolean traceKernel() {
        return false;
    }

    /**
     * Whether a traced guest's host is this machine: then the run traces this machine's scheduler for the guest's
     * QEMU threads beside it. A guest hosted by another machine brings its host's trace back with its own
     * ({@link KernelTrace#hostTrace}); this machine's QEMU threads there would be others' (an emulated host's own).
     */
    default boolean hostedHere() {
        return false;
    }

    /**
     * Why the delays outside the guest of a target that traces its own kernel cannot be traced from this machine
     * (its vCPUs are run by a hypervisor that is not this machine's Linux, e.g. Xen), or empty when this machine's
     * scheduler runs them and the run traces its side too.
     */
    default Optional<String> hostSideUntraced() {
        return Optional.empty();
    }

    /**
     * The facts and live capabilities of the machine the probe runs on, read there after
     * {@link #check}, for {@code vmlat doctor --target}; empty when that machine is this one or a
     * guest vmlat boots itself.
     */
    default Optional<Inspection> inspect() {
        return Optional.empty();
    }

    /** Gives back what this target holds for the run; the run calls it once, whatever happened. */
    @Override
    default void close() {}
}
