package org.vmlat.targets;

import java.util.List;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.load.LoadSpec;
import org.vmlat.probe.Probe;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RunControl;

/** Where a probe runs: this machine, a QEMU guest, a Xen guest; later SSH hosts and libvirt domains. */
public interface Target {
    /** A measurement and, when something around it failed (a load died), why; the data is kept. */
    record Measured(MeasurementResult result, String failure) {}

    String name();

    /** The command line of a load as this target will run it (empty for none). */
    List<String> loadCommand(LoadSpec load);

    /** The probe command as this target runs it, for the record. */
    String probeCommand(Probe probe, ProbeSpec spec);

    Measured measure(Probe probe, ProbeSpec spec, LoadSpec load, ProbeListener listener, RunControl control);

    /**
     * Checks, before anything runs, what would make every scenario on this target fail alike
     * (an unreachable machine, a refused key); throws with the reason.
     */
    default void check() {}
}
