package org.vmlat.probe.cyclictest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.vmlat.os.CpuList;
import org.vmlat.probe.ProbeSpec;

/**
 * cyclictest's command line for a {@link ProbeSpec}, the one place that maps vmlat's options to
 * cyclictest's, whoever runs it: vmlat on this machine or another, or a guest image's /init.
 * cyclictest takes {@code -i}, {@code -b} and {@code -h} in whole microseconds and {@code -D} in
 * whole seconds; a spec it cannot express exactly is refused rather than rounded, since a rounded
 * period would measure something else than was asked. The idle states ({@code --deepest-idle-state})
 * are not passed on: vmlat disables them itself, as rt-tests built without libcpupower lacks the option.
 */
public final class CyclictestCommandLine {
    /** How the run is watched, which decides a few options. */
    public enum Mode {
        /**
         * vmlat reads the live {@code T:} lines and stops cyclictest (SIGTERM) when asked: the
         * spec's options as they are.
         */
        WATCHED,
        /**
         * Nobody watches (a guest image's /init): quiet ({@code -q}), memory always locked, and each
         * thread also ended by {@code -l} after the periods of the duration, because a starved guest
         * (every period overrun, PREEMPT_RT's timer threads never run) never sees {@code -D}'s timer
         * fire. No {@code -a} (the spec's CPUs are the host's, not the guest's, and /init splits its
         * arguments at commas), no {@code -b}, and none of the host's setup: {@code --mainaffinity},
         * {@code --tracemark}, {@code --smi} (a guest has no SMI counter).
         */
        UNATTENDED
    }

    /**
     * Why a distance between the threads' intervals cannot be asked of cyclictest: it sets -d to 0
     * whenever it keeps a histogram ("distance is ignored and set to 0, if histogram enabled"), and
     * vmlat always reads its histogram.
     */
    public static final String DISTANCE_IGNORED = "cyclictest ignores -d (distance) when it keeps a histogram (-h), which vmlat reads;"
            + " the builtin probe measures threads at distinct intervals";

    private CyclictestCommandLine() {}

    /** The full command vmlat runs and watches: the executable, the options, the JSON file. */
    public static List<String> command(String executable, ProbeSpec spec, String jsonPath) {
        List<String> c = new ArrayList<>();
        c.add(executable);
        c.addAll(options(spec, Mode.WATCHED));
        c.add("--json=" + jsonPath);
        return c;
    }

    /**
     * cyclictest's options for a spec, without the executable and the JSON file.
     *
     * @throws IllegalArgumentException when cyclictest cannot express the spec exactly, or an
     *                                  unattended run has no duration to end it
     */
    public static List<String> options(ProbeSpec spec, Mode mode) {
        if (spec.intervalNs() % 1000 != 0 || spec.distanceNs() % 1000 != 0) {
            throw new IllegalArgumentException("cyclictest takes -i and -d in whole microseconds, got "
                    + spec.intervalNs() + " ns / " + spec.distanceNs() + " ns");
        }
        if (spec.durationNs() % 1_000_000_000L != 0) {
            throw new IllegalArgumentException("cyclictest takes -D in whole seconds, got " + spec.durationNs() + " ns");
        }
        if (spec.breaktraceNs() % 1000 != 0) {
            throw new IllegalArgumentException("cyclictest takes -b in whole microseconds, got " + spec.breaktraceNs() + " ns");
        }
        if (spec.distanceNs() > 0 && spec.threads() > 1) throw new IllegalArgumentException(DISTANCE_IGNORED);
        ProbeSpec.Setup setup = spec.setup();
        if (setup.aligned() && setup.alignedOffsetNs() % 1000 != 0) {
            throw new IllegalArgumentException("cyclictest takes -A in whole microseconds, got " + setup.alignedOffsetNs() + " ns");
        }
        boolean watched = mode == Mode.WATCHED;
        if (!watched && spec.durationNs() == 0) {
            throw new IllegalArgumentException("an unattended cyclictest needs a duration to end, got 0 ns (until interrupted)");
        }
        List<String> c = new ArrayList<>();
        if (spec.mlockall() || !watched) c.add("-m");
        c.add("--policy=" + spec.policy().cliName());
        if (spec.policy().realtime()) c.add("-p" + spec.priority());
        c.add("-i" + spec.intervalNs() / 1000);
        c.add("-t" + spec.threads());
        if (watched && !spec.cpus().isEmpty()) c.add("-a" + CpuList.format(spec.cpus()));
        if (spec.durationNs() > 0) c.add("-D" + spec.durationNs() / 1_000_000_000L);
        long loops = watched ? spec.loops() : unattendedLoops(spec);
        if (loops > 0) c.add("-l" + loops);
        if (watched && spec.breaktraceNs() > 0) c.add("-b" + spec.breaktraceNs() / 1000);
        c.add("-h" + Math.max(1, spec.histogramMaxNs() / 1000));
        if (setup.priospread()) c.add("--priospread");
        if (setup.aligned()) c.add("-A" + setup.alignedOffsetNs() / 1000);
        if (setup.clock() != ProbeSpec.Clock.MONOTONIC) c.add("-c" + setup.clock().cyclictestNumber());
        if (setup.dmaLatencyUs() < 0) c.add("--default-system");
        else if (setup.dmaLatencyUs() > 0) c.add("--latency=" + setup.dmaLatencyUs());
        if (watched && !setup.mainCpus().isEmpty()) c.add("--mainaffinity=" + CpuList.format(setup.mainCpus()));
        if (watched && setup.tracemark() && spec.breaktraceNs() > 0) c.add("--tracemark");
        if (watched && setup.smi()) c.add("--smi");
        if (!watched) c.add("-q");
        c.addAll(setup.cyclictestArgs());
        return c;
    }

    /**
     * The option of vmlat's own that a further cyclictest argument would override, or null when it
     * is free to pass: vmlat sets these itself and reads cyclictest's output as they shape it.
     */
    public static String reservedBy(String arg) {
        if (arg.startsWith("--")) {
            String name = arg.substring(2).split("=", 2)[0];
            return RESERVED_LONG.contains(name) ? "--" + name : null;
        }
        if (arg.startsWith("-") && arg.length() > 1) {
            String letter = arg.substring(1, 2);
            return RESERVED_SHORT.contains(letter) ? "-" + letter : null;
        }
        return null;
    }

    /** Options vmlat derives from the spec (or that change the output it reads), by long name and letter. */
    private static final Set<String> RESERVED_LONG = Set.of("duration", "interval", "threads", "affinity", "priority", "policy",
            "histogram", "histofall", "json", "mlockall", "loops", "quiet", "breaktrace", "distance", "verbose", "smp", "nsecs");
    private static final Set<String> RESERVED_SHORT = Set.of("D", "i", "t", "a", "p", "y", "h", "H", "m", "l", "q", "b", "d", "v", "S", "N");

    /** The periods of the duration, or the spec's loops when it asks for fewer. */
    private static long unattendedLoops(ProbeSpec spec) {
        long periods = Math.max(1, spec.durationNs() / spec.intervalNs());
        return spec.loops() > 0 ? Math.min(spec.loops(), periods) : periods;
    }
}
