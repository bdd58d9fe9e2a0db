package org.vmlat.probe;

import org.vmlat.latency.MeasurementResult;

/** A measuring engine: builtin (Java) or cyclictest. */
public interface Probe {
    String engine();

    /** The command a user would type for the same measurement (recorded with results). */
    String commandLine(ProbeSpec spec);

    /**
     * Measures until the spec's duration or loops are done, a break-trace threshold is crossed,
     * or {@code control} asks to stop; in every case returns what was measured.
     *
     * @throws RtPrivilegeException when real-time scheduling or mlockall is refused and the spec
     *                              does not allow measuring without them
     * @throws ProbeException       when the probe cannot run at all
     */
    MeasurementResult run(ProbeSpec spec, ProbeListener listener, RunControl control);
}
