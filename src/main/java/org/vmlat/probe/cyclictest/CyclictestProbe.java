package org.vmlat.probe.cyclictest;

import java.io.IOException;
import java.util.List;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.os.IdleStates;
import org.vmlat.os.SmiCounter;
import org.vmlat.os.SystemFactsReader;
import org.vmlat.probe.ProbeException;
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

    /**
     * The driver's run, with the idle states limited by vmlat around it ({@code --deepest-idle-state}
     * is vmlat's for both probes) and {@code --smi} refused with the reason when this CPU has no
     * counter, before cyclictest's own terse refusal.
     */
    @Override
    public MeasurementResult run(ProbeSpec spec, ProbeListener listener, RunControl control) {
        if (spec.setup().smi()) {
            SmiCounter.unavailable().ifPresent(why -> {
                throw new ProbeException("--smi: " + why);
            });
        }
        if (spec.setup().deepestIdleState() < -1) return driver.run(spec, listener, control);
        List<Integer> cpus = spec.cpus().isEmpty() ? SystemFactsReader.live().onlineCpus() : spec.cpus();
        IdleStates idle;
        try {
            idle = IdleStates.limit(IdleStates.SYSFS_CPUS, cpus, spec.setup().deepestIdleState());
        } catch (IOException e) {
            throw new ProbeException("--deepest-idle-state: " + e.getMessage(), e);
        }
        try (idle) {
            return driver.run(spec, listener, control);
        }
    }
}
