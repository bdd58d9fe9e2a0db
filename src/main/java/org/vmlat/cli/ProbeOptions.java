package org.vmlat.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vmlat.latency.Durations;
import org.vmlat.os.CpuList;
import org.vmlat.os.SchedPolicy;
import org.vmlat.os.SystemFacts;
import org.vmlat.probe.Probe;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.builtin.BuiltinProbe;
import org.vmlat.probe.cyclictest.CyclictestProbe;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of {@code measure} that mean what cyclictest's options of the same letter mean, read into a {@link ProbeSpec}. */
final class ProbeOptions {
    enum Engine { builtin, cyclictest }

    @Option(names = "--probe", defaultValue = "builtin", description = "Engine: builtin (Java, ns resolution) or cyclictest (rt-tests, us). Default: ${DEFAULT-VALUE}.")
    Engine engine;

    @Option(names = {"-p", "--priority"}, defaultValue = "95", description = "Real-time priority 1..99. Default: ${DEFAULT-VALUE}.")
    int priority;

    @Option(names = "--policy", defaultValue = "fifo", description = "fifo, rr or other. Default: ${DEFAULT-VALUE}.")
    SchedPolicy policy;

    @Option(names = {"-i", "--interval"}, defaultValue = "1000us", converter = Converters.Micros.class,
            description = "Period of the threads. Default: ${DEFAULT-VALUE}.")
    long intervalNs;

    @Option(names = {"-d", "--distance"}, defaultValue = "0", converter = Converters.Micros.class,
            description = "Thread N runs at interval + N * distance. Default 0 (cyclictest's default is 500us; vmlat keeps threads comparable).")
    long distanceNs;

    @Option(names = {"-t", "--threads"}, arity = "0..1", fallbackValue = "0", defaultValue = "1",
            description = "Number of threads; -t alone: one per online CPU. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = {"-a", "--affinity"}, arity = "0..1", fallbackValue = "all", paramLabel = "CPUSET",
            description = "Pin threads round-robin to these CPUs (e.g. 0-3,6); -a alone: thread N on CPU N.")
    String affinity;

    @Option(names = {"-D", "--duration"}, defaultValue = "0", converter = Converters.Seconds.class,
            description = "How long to measure (10s, 5m, 2h); 0 = until Ctrl-C. Default: ${DEFAULT-VALUE}.")
    long durationNs;

    @Option(names = {"-l", "--loops"}, defaultValue = "0", description = "Activations per thread; 0 = unlimited.")
    long loops;

    @Option(names = {"-m", "--mlockall"}, negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Lock memory (mlockall); on by default, --no-mlockall to disable.")
    boolean mlockall;

    @Option(names = {"-b", "--breaktrace"}, defaultValue = "0", converter = Converters.Micros.class,
            description = "Stop when a latency exceeds this (e.g. 100us), report where, exit 3.")
    long breaktraceNs;

    @Option(names = {"-h", "--histogram"}, paramLabel = "MAX", converter = Converters.Micros.class,
            description = "Print a cyclictest-style histogram with 1 us buckets up to MAX (e.g. -h 200) after the run. "
                    + "With --probe cyclictest it is also cyclictest's -h range (default 10000us).")
    Long histogramNs;

    @Option(names = "--allow-nonrt", description = "Measure even if SCHED_FIFO/RR or mlockall is refused; the result is marked NON-RT.")
    boolean allowNonRt;

    @Option(names = "--warmup", defaultValue = "200ms", converter = Converters.Micros.class,
            description = "Real activations run and discarded before measuring (builtin). Default: ${DEFAULT-VALUE}.")
    long warmupNs;

    @Option(names = "--spikes", defaultValue = "" + ProbeSpec.DEFAULT_SPIKES, description = "Worst activations kept per thread, with timestamps (the tail's sample-order checks use them). Default: ${DEFAULT-VALUE}.")
    int spikes;

    @Option(names = "--cyclictest", defaultValue = "cyclictest", paramLabel = "PATH", description = "cyclictest executable. Default: ${DEFAULT-VALUE}.")
    String cyclictestPath;

    @Mixin
    SetupOptions setup;

    /** The probe's immutable spec on a machine with these facts, or a usage error naming the option. */
    ProbeSpec spec(SystemFacts facts) {
        SchedPolicy pol = policy;
        if (pol.realtime() && (priority < 1 || priority > 99)) {
            throw usage("-p/--priority: expected 1..99, got " + priority);
        }
        if (intervalNs <= 0) throw usage("-i/--interval: must be greater than 0");
        if (threads < 0) throw usage("-t/--threads: must be at least 1, got " + threads);
        if (loops < 0) throw usage("-l/--loops: must be >= 0, got " + loops);
        if (spikes < 0) throw usage("--spikes: must be >= 0, got " + spikes);
        if (histogramNs != null && (histogramNs < 1000 || histogramNs > 100_000_000L)) {
            throw usage("-h/--histogram: expected 1us..100s, got " + Durations.format(histogramNs));
        }
        List<Integer> online = facts.onlineCpus().isEmpty()
                ? List.of(0) : facts.onlineCpus();
        if (setup.smp && (affinity != null || threads != 1)) {
            throw usage("-S/--smp sets the threads (one per online CPU) and their CPUs itself: leave out -t and -a");
        }
        int n = threads == 0 || setup.smp ? online.size() : threads;
        List<Integer> cpus = new ArrayList<>();
        if (setup.smp) {
            cpus.addAll(online);
        } else if (affinity != null) {
            if (affinity.equals("all")) {
                for (int t = 0; t < n; t++) cpus.add(online.get(t % online.size()));
            } else {
                try {
                    cpus.addAll(CpuList.parse(affinity));
                } catch (IllegalArgumentException e) {
                    throw usage("-a/--affinity: " + e.getMessage());
                }
                for (int c : cpus) {
                    if (!online.contains(c)) {
                        throw usage("-a/--affinity: CPU " + c + " does not exist or is offline (online: "
                                + CpuList.format(online) + ")");
                    }
                }
                if (cpus.isEmpty()) throw usage("-a/--affinity: empty CPU list");
            }
        }
        long histMax = histogramNs != null ? histogramNs : 10_000_000L;
        ProbeSpec.Setup how = setup.setup(online, breaktraceNs, !cpus.isEmpty());
        try {
            return new ProbeSpec(pol, pol.realtime() ? priority : 0, intervalNs, distanceNs, n, cpus, durationNs, loops,
                    mlockall, breaktraceNs, allowNonRt, spikes, engine == Engine.builtin ? warmupNs : 0, histMax, how);
        } catch (IllegalArgumentException e) {
            throw usage((how.priospread() ? "--priospread: " : "") + e.getMessage());
        }
    }

    private static VmlatException usage(String message) {
        return new VmlatException(ExitCodes.USAGE, message);
    }

    /** The engine chosen, its command line checked against the spec (cyclictest takes whole seconds, for one). */
    Probe probe(ProbeSpec spec) {
        if (engine == Engine.builtin) return new BuiltinProbe();
        CyclictestProbe c = new CyclictestProbe(cyclictestPath);
        try {
            c.commandLine(spec);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        return c;
    }

    /** What will be measured, how and where, as the first lines of the output (cyclictest users read settings off its header). */
    String header(ProbeSpec s, SystemFacts f) {
        String clock = s.setup().clock().linuxName();
        String what = engine == Engine.builtin
                ? "builtin probe (Java, clock_nanosleep TIMER_ABSTIME on " + clock + ", ns resolution)"
                : "cyclictest (" + cyclictestPath + ", " + clock + ", us resolution)";
        String pol = s.policy().realtime() ? "SCHED_" + s.policy().name() + " priority " + s.priority() : "SCHED_OTHER (not real-time)";
        String cpus = s.cpus().isEmpty() ? "not pinned" : "CPUs " + CpuList.format(s.cpus());
        String dur = s.durationNs() == 0 ? (s.loops() > 0 ? s.loops() + " loops" : "until Ctrl-C") : Durations.format(s.durationNs());
        return String.format(Locale.ROOT, "# vmlat measure: %s%n# %s, interval %s%s, %d thread(s) %s, mlockall %s, duration %s%s%n"
                        + "%s%n# system: Linux %s, %s, clocksource %s, virtualization: %s, online CPUs %s, isolated %s",
                what, pol, Durations.format(s.intervalNs()),
                s.distanceNs() > 0 ? " (+" + Durations.format(s.distanceNs()) + " per thread)" : "",
                s.threads(), cpus, s.mlockall() ? "on" : "off", dur,
                s.breaktraceNs() > 0 ? ", break trace at " + Durations.format(s.breaktraceNs()) : "",
                SetupOptions.describe(s, engine == Engine.builtin), f.kernelRelease(), f.preemption(), f.clocksource(), f.virtualization(),
                CpuList.format(f.onlineCpus()), f.isolatedCpus().isEmpty() ? "none" : CpuList.format(f.isolatedCpus()));
    }

}
