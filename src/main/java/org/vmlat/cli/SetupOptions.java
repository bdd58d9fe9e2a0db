package org.vmlat.cli;

import java.util.ArrayList;
import java.util.List;
import org.vmlat.latency.Durations;
import org.vmlat.os.CpuList;
import org.vmlat.probe.ProbeSpec;
import picocli.CommandLine.Option;

/**
 * cyclictest's options for how the threads start and what the machine is held at while they
 * measure, with cyclictest's names, meanings and defaults, read into a {@link ProbeSpec.Setup}.
 */
final class SetupOptions {
    @Option(names = {"-S", "--smp"}, description = "cyclictest's standard SMP test: one thread per online CPU, thread N on CPU N, "
            + "all at the same priority (-t and -a are set by it).")
    boolean smp;

    @Option(names = "--priospread", description = "Thread N runs at priority -p minus N (cyclictest's --priospread); "
            + "by default every thread has the same priority.")
    boolean priospread;

    @Option(names = {"-A", "--aligned"}, arity = "0..1", fallbackValue = "0", paramLabel = "USEC", converter = Converters.Micros.class,
            description = "All threads start from one common time, thread N's wake-ups USEC*N later (cyclictest's -A). "
                    + "The builtin probe starts its threads together anyway: -A adds the offset.")
    Long alignedNs;

    @Option(names = {"-c", "--clock"}, defaultValue = "0", paramLabel = "CLOCK",
            description = "Clock of the deadlines: 0 or monotonic (default), 1 or realtime, as cyclictest's -c.")
    String clock;

    @Option(names = {"--dma-latency", "--latency"}, defaultValue = "0", paramLabel = "US",
            description = "Value held in /dev/cpu_dma_latency while measuring, in us (cyclictest's --latency); default 0: "
                    + "no deep idle states.")
    int dmaLatencyUs;

    @Option(names = "--default-system", description = "Leave /dev/cpu_dma_latency alone (cyclictest's --default-system).")
    boolean defaultSystem;

    @Option(names = "--deepest-idle-state", paramLabel = "N",
            description = "Disable the idle states deeper than N on the measuring CPUs while measuring (-1: all), restored after; "
                    + "vmlat does it through /sys for either probe.")
    Integer deepestIdleState;

    @Option(names = "--mainaffinity", paramLabel = "CPUSET",
            description = "CPUs for everything that does not measure (cyclictest's --mainaffinity). "
                    + "Default: the CPUs the threads are not pinned to.")
    String mainAffinity;

    @Option(names = "--tracemark", description = "With -b: write a mark into the kernel trace at the spike and stop the trace "
            + "(tracing_on = 0), as cyclictest's --tracemark; the trace then ends at the spike.")
    boolean tracemark;

    @Option(names = "--smi", description = "Count system management interrupts on the measuring CPUs (Intel MSR_SMI_COUNT, "
            + "needs -a and /dev/cpu/N/msr).")
    boolean smi;

    @Option(names = {"-N", "--nsecs"}, description = "Print latencies in ns instead of us (the measurement is the same).")
    boolean nsecs;

    /** The setup asked for, or a usage error naming the option. */
    ProbeSpec.Setup setup(List<Integer> online, long breaktraceNs, boolean pinned) {
        ProbeSpec.Clock c = switch (clock.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "0", "monotonic", "clock_monotonic" -> ProbeSpec.Clock.MONOTONIC;
            case "1", "realtime", "clock_realtime" -> ProbeSpec.Clock.REALTIME;
            default -> throw usage("-c/--clock: expected 0 (monotonic) or 1 (realtime), got \"" + clock + "\"");
        };
        if (dmaLatencyUs < 0) throw usage("--dma-latency: expected 0 us or more, got " + dmaLatencyUs);
        if (deepestIdleState != null && deepestIdleState < -1) {
            throw usage("--deepest-idle-state: expected -1 (all disabled) or a state number, got " + deepestIdleState);
        }
        if (tracemark && breaktraceNs == 0) throw usage("--tracemark: marks the trace when -b is exceeded: give -b too");
        if (smi && !pinned) throw usage("--smi: the SMI counter is per CPU: pin the threads with -a or -S");
        List<Integer> main = new ArrayList<>();
        if (mainAffinity != null) {
            try {
                main.addAll(CpuList.parse(mainAffinity));
            } catch (IllegalArgumentException e) {
                throw usage("--mainaffinity: " + e.getMessage());
            }
            if (main.isEmpty()) throw usage("--mainaffinity: empty CPU list");
            for (int cpu : main) {
                if (!online.contains(cpu)) {
                    throw usage("--mainaffinity: CPU " + cpu + " does not exist or is offline (online: " + CpuList.format(online) + ")");
                }
            }
        }
        return new ProbeSpec.Setup(priospread, alignedNs == null ? -1 : alignedNs, c, defaultSystem ? -1 : dmaLatencyUs,
                deepestIdleState == null ? -2 : deepestIdleState, main, tracemark, smi);
    }

    /**
     * The header line of what differs from cyclictest's defaults and what was asked beyond them, so
     * a cyclictest user reading the figures knows what they came from.
     */
    static String describe(ProbeSpec s, boolean builtin) {
        ProbeSpec.Setup u = s.setup();
        List<String> d = new ArrayList<>();
        d.add(s.policy().realtime() ? "SCHED_" + s.policy().name() + " " + s.priority()
                + (u.priospread() ? " spread down to " + s.priority(s.threads() - 1) : "") + " (cyclictest: SCHED_OTHER unless -p)"
                : "SCHED_OTHER (as cyclictest without -p)");
        if (s.threads() > 1) {
            d.add("distance " + Durations.format(s.distanceNs()) + (s.distanceNs() == 0 ? " (cyclictest: 500us, 0 with -h)" : ""));
        }
        d.add(s.mlockall() ? "mlockall on (cyclictest: off unless -m)" : "mlockall off");
        d.add(u.dmaLatencyUs() < 0 ? "/dev/cpu_dma_latency untouched (--default-system)"
                : "/dev/cpu_dma_latency " + u.dmaLatencyUs() + "us");
        if (u.deepestIdleState() >= -1) d.add("idle states deeper than " + u.deepestIdleState() + " disabled");
        if (u.aligned()) d.add("aligned start, +" + Durations.format(u.alignedOffsetNs()) + " per thread");
        else if (builtin && s.threads() > 1) d.add("threads start together (cyclictest: -A)");
        if (u.clock() != ProbeSpec.Clock.MONOTONIC) d.add(u.clock().linuxName());
        if (!u.mainCpus().isEmpty()) d.add("main threads on CPUs " + CpuList.format(u.mainCpus()));
        if (u.tracemark()) d.add("trace mark and tracing_on=0 at -b");
        if (u.smi()) d.add("SMI counting");
        return "# setup: " + String.join(", ", d);
    }

    private static VmlatException usage(String message) {
        return new VmlatException(ExitCodes.USAGE, message);
    }
}
