package org.vmlat.targets.local;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.load.LoadLauncher;
import org.vmlat.load.LoadProcess;
import org.vmlat.load.LoadSpec;
import org.vmlat.probe.Probe;
import org.vmlat.probe.ProbeException;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RunControl;
import org.vmlat.targets.Target;

/**
 * This machine as a target: starts the host load, checks that it runs, measures with the probe,
 * and ends the load whatever happens.
 */
public final class LocalTarget implements Target {
    private final LoadLauncher loads;

    private final String name;

    public LocalTarget(String name, LoadLauncher loads) {
        this.name = name;
        this.loads = loads;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String probeCommand(Probe probe, ProbeSpec spec) {
        return probe.commandLine(spec);
    }

    @Override
    public List<String> loadCommand(LoadSpec load) {
        return loads.resolve(load).command();
    }

    @Override
    public Measured measure(Probe probe, ProbeSpec spec, LoadSpec load, ProbeListener listener, RunControl control) {
        LoadProcess lp;
        try {
            lp = loads.start(load);
        } catch (IOException e) {
            throw new ProbeException("cannot start load \"" + load.name() + "\": " + e.getMessage(), e);
        }
        try {
            if (lp != null) {
                sleep(LOAD_SETTLE_MS);
                if (!lp.isAlive()) throw new ProbeException(lp.failure());
            }
            MeasurementResult r = probe.run(spec, listener, control);
            // this machine's facts are the run's: the scenario keeps none of its own
            return new Measured(r, Map.of(), lp != null && !lp.isAlive() ? "during the measurement: " + lp.failure() : null);
        } finally {
            if (lp != null) lp.close();
        }
    }

    private static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
