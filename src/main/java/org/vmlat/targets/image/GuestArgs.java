package org.vmlat.targets.image;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.vmlat.load.LoadSpec;
import org.vmlat.probe.ProbeSpec;

/**
 * The cyclictest arguments a guest image's /init runs with (passed as vmlat.args on the guest
 * kernel's command line, comma-separated): whole seconds and microseconds, histogram on, quiet.
 */
public final class GuestArgs {
    /** What /init runs with vmlat.load=hackbench (placement guest or both), as the record shows it. */
    public static final List<String> GUEST_LOAD = List.of("(in the guest)", "hackbench", "--groups", "2", "--fds", "10");

    private GuestArgs() {}

    /**
     * A guest target's load as the record shows it: the host side (the host or Dom0), the guest
     * side, or both joined by "+", by the load's placement.
     */
    public static List<String> loadRecord(LoadSpec load, Supplier<List<String>> hostSide) {
        if (load.isNone()) return List.of();
        if (!load.placement().onHost()) return GUEST_LOAD;
        List<String> c = new ArrayList<>(hostSide.get());
        if (load.placement().inGuest()) {
            c.add("+");
            c.addAll(GUEST_LOAD);
        }
        return c;
    }

    public static List<String> cyclictest(ProbeSpec spec) {
        List<String> a = new ArrayList<>();
        a.add("-m");
        a.add("--policy=" + spec.policy().cliName());
        if (spec.policy().realtime()) a.add("-p" + spec.priority());
        a.add("-i" + spec.intervalNs() / 1000);
        a.add("-t" + spec.threads());
        a.add("-h" + Math.max(1, spec.histogramMaxNs() / 1000));
        a.add("-D" + Math.max(1, spec.durationNs() / 1_000_000_000L));
        // -D ends the run by a timer that a guest can starve: an RT thread at FIFO 95 whose every
        // period overruns (an emulated Xen) keeps PREEMPT_RT's timer threads from running, and
        // cyclictest never stops. -l ends each thread after the periods of the duration by itself.
        a.add("-l" + Math.max(1, spec.durationNs() / spec.intervalNs()));
        a.add("-q");
        return a;
    }
}
