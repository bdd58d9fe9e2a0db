package org.vmlat.probe.cyclictest;

import org.vmlat.latency.MeasurementResult;
import org.vmlat.os.command.LocalCommandRunner;
import org.vmlat.probe.Probe;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RunControl;

/** The installed cyclictest on this machine as a {@link Probe}: the {@link CyclictestDriver} with a local runner. */
public final class CyclictestProbe implements Probe {
    public static final String ENGINE = CyclictestDriver.ENGINE;

    private final CyclictestDriver driver;

    public CyclictestProbe(String executable) {
        this(new CyclictestDriver(new LocalCommandRunner(), executable));
    }

    public CyclictestProbe(CyclictestDriver driver) {
        this.driver = driver;
    }

    @Override
    public String engine() {
        return ENGINE;
    }

    /**
     * @throws IllegalArgumentException when cyclictest cannot express the spec exactly (see
     *                                  {@link CyclictestCommandLine})
     */
    @Override
    public String commandLine(ProbeSpec spec) {
        return String.join(" ", driver.command(spec, "RESULT.json"));
    }

    @Override
    public MeasurementResult run(ProbeSpec spec, ProbeListener listener, RunControl control) {
        return driver.run(spec, listener, control);
    }
}
