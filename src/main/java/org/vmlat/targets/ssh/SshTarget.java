package org.vmlat.targets.ssh;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.load.LoadLauncher;
import org.vmlat.load.LoadProcess;
import org.vmlat.load.LoadSpec;
import org.vmlat.os.command.CommandException;
import org.vmlat.probe.Probe;
import org.vmlat.probe.ProbeException;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RtPrivilegeException;
import org.vmlat.probe.RunControl;
import org.vmlat.probe.cyclictest.CyclictestCommandLine;
import org.vmlat.probe.cyclictest.CyclictestDriver;
import org.vmlat.targets.Target;

/**
 * A machine measured over SSH: cyclictest runs there through the one {@link CyclictestDriver} with
 * an {@link SshCommandRunner}; the host-placed load runs there, on another machine reached over
 * SSH, or on this one ({@link LoadPlace}). The machine's facts (kernel, preemption model,
 * cmdline, clocksource, hypervisor) are read once when it is checked and kept with every scenario
 * measured there. A machine that stops answering during a scenario fails that scenario with the
 * reason; the run goes on.
 */
public final class SshTarget implements Target {
    /** How long a look at a machine that stopped answering may take. */
    private static final long REACH_TIMEOUT_MS = 20_000;
    public static final String FACT_HOST = "ssh.host";
    public static final String FACT_LOAD_ON = "ssh.load_on";
    /** What /etc/vmlat-emulated says there ("no" when there is none). */
    public static final String FACT_EMULATED = "ssh.emulated";

    /** Where this target's host-placed loads run: a machine reached over SSH, or this one. */
    static final class LoadPlace {
        private final SshMachine remote;
        private final LoadLauncher local;

        private LoadPlace(SshMachine remote, LoadLauncher local) {
            this.remote = remote;
            this.local = local;
        }

        static LoadPlace on(SshMachine machine) {
            return new LoadPlace(machine, null);
        }

        static LoadPlace here(LoadLauncher loads) {
            return new LoadPlace(null, loads);
        }

        String where() {
            return remote != null ? remote.where() : "this machine";
        }
    }

    /** A load while it runs: null while it runs, else why it ended; closing ends it. */
    private interface RunningLoad extends AutoCloseable {
        String failure();

        @Override
        void close();
    }

    private final String name;
    private final SshTargetSettings settings;
    private final SshMachine machine;
    private final LoadPlace loads;
    private final Consumer<String> warnings;
    private final Consumer<String> info;

    SshTarget(String name, SshTargetSettings settings, SshMachine machine, LoadPlace loads, Consumer<String> warnings, Consumer<String> info) {
        this.name = name;
        this.settings = settings;
        this.machine = machine;
        this.loads = loads;
        this.warnings = warnings;
        this.info = info;
    }

    @Override
    public String name() {
        return name;
    }

    /** The load's command where it runs, "(on WHERE)" first; what it would be, when it cannot run there. */
    @Override
    public List<String> loadCommand(LoadSpec load) {
        if (load.isNone()) return List.of();
        List<String> c = new ArrayList<>(List.of("(on " + loads.where() + ")"));
        try {
            c.addAll(loads.remote != null ? loads.remote.loadCommand(load) : loads.local.resolve(load).command());
        } catch (ProbeException | IllegalArgumentException e) {
            c.add(load.preset());
        }
        return c;
    }

    @Override
    public String probeCommand(Probe probe, ProbeSpec spec) {
        return String.join(" ", CyclictestCommandLine.command(settings.cyclictest(), spec, "RESULT.json")) + " (on " + machine.where() + ")";
    }

    /**
     * Reaches the machine (and the one its loads go to) and reads its facts: an unknown host key,
     * a refused key or an unreachable machine stops the run before anything runs. Loads that
     * killed vmlat processes left on either machine are ended here.
     */
    @Override
    public void check() {
        machine.connect(info);
        if (loads.remote != null) loads.remote.connect(info);
    }

    @Override
    public void prepare() {
        check();
    }

    @Override
    public Optional<Inspection> inspect() {
        machine.connect(info);
        return Optional.of(new Inspection(machine.where(), machine.facts(), machine.capabilities()));
    }

    @Override
    public Measured measure(Probe probe, ProbeSpec spec, LoadSpec load, ProbeListener listener, RunControl control) {
        if (!probe.engine().equals(CyclictestDriver.ENGINE)) {
            throw new ProbeException(name + ": an ssh target measures with cyclictest, not " + probe.engine());
        }
        RunningLoad running = load.isNone() ? null : start(load);
        try {
            if (running != null) {
                sleep(LOAD_SETTLE_MS);
                String failed = running.failure();
                if (failed != null) throw new ProbeException(failed);
            }
            MeasurementResult r;
            try {
                r = new CyclictestDriver(machine.runner(), settings.cyclictest()).run(spec, listener, control);
            } catch (RtPrivilegeException e) {
                throw e;
            } catch (ProbeException | CommandException e) {
                throw unreachableOr(e);
            }
            r = markedEmulated(r, machine.emulated());
            String failure = running == null ? null : running.failure();
            Map<String, String> facts = new LinkedHashMap<>(machine.facts().asMap());
            facts.putAll(r.system());
            facts.put(FACT_HOST, machine.where());
            facts.put(FACT_EMULATED, machine.emulated().isEmpty() ? "no" : machine.emulated());
            if (!load.isNone()) facts.put(FACT_LOAD_ON, loads.where());
            return new Measured(r, facts, failure == null ? null : "during the measurement: " + failure);
        } finally {
            if (running != null) running.close();
        }
    }

    /**
     * The result marked as measured under emulation (the {@code emulated} setting the reports
     * read, and a warning) when the machine says it is emulated; as it is otherwise.
     */
    static MeasurementResult markedEmulated(MeasurementResult r, String emulated) {
        if (emulated.isEmpty()) return r;
        Map<String, String> s = new LinkedHashMap<>(r.settings());
        s.put(SettingsKeys.EMULATED, emulated);
        List<String> w = new ArrayList<>(r.warnings());
        w.add("EMULATED: " + emulated + ": these figures measure emulation, not hardware");
        return new MeasurementResult(r.engine(), s, r.system(), r.realtime(), r.threads(), r.startEpochMs(), r.endEpochMs(),
                r.startMonotonicNs(), r.stopReason(), r.breaktrace(), w);
    }

    /** A failure as it is, or that the machine stopped answering, which explains it. */
    private RuntimeException unreachableOr(RuntimeException e) {
        String why = machine.ssh().unreachable(REACH_TIMEOUT_MS);
        if (why == null) return e instanceof ProbeException p ? p : new ProbeException(e.getMessage(), e);
        return new ProbeException(machine.where() + " stopped answering during the scenario: " + why + " (cyclictest: " + e.getMessage() + ")", e);
    }

    private RunningLoad start(LoadSpec load) {
        if (loads.remote != null) {
            SshMachine m = loads.remote;
            SshMachine.RemoteLoad rl;
            try {
                rl = m.startLoad(load);
            } catch (SshException | CommandException e) {
                String why = m.ssh().unreachable(REACH_TIMEOUT_MS);
                throw new ProbeException("cannot start load \"" + load.name() + "\" on " + m.where() + ": " + (why != null ? why : e.getMessage()), e);
            }
            return new RunningLoad() {
                @Override
                public String failure() {
                    try {
                        return m.loadFailure(rl);
                    } catch (SshException e) {
                        return "cannot look at the load on " + m.where() + ": " + e.getMessage();
                    }
                }

                @Override
                public void close() {
                    try {
                        m.stopLoad(rl);
                    } catch (SshException e) {
                        warnings.accept(name + ": could not end load " + rl.name() + " on " + m.where() + " (" + e.getMessage()
                                + "); the next run that reaches it ends it");
                    }
                }
            };
        }
        LoadProcess lp;
        try {
            lp = loads.local.start(load);
        } catch (IOException e) {
            throw new ProbeException("cannot start load \"" + load.name() + "\": " + e.getMessage(), e);
        }
        return new RunningLoad() {
            @Override
            public String failure() {
                return lp.isAlive() ? null : lp.failure();
            }

            @Override
            public void close() {
                lp.close();
            }
        };
    }

    private static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
