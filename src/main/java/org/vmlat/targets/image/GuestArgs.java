package org.vmlat.targets.image;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.vmlat.load.LoadSpec;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.cyclictest.CyclictestCommandLine;

/**
 * What a guest image's /init is told to run: cyclictest's options (passed as vmlat.args on the
 * guest kernel's command line, comma-separated), built by {@link CyclictestCommandLine} for an
 * unattended run, and the guest side of a load.
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

    /** cyclictest's options as /init runs them (it adds --json itself), from the one command-line builder. */
    public static List<String> cyclictest(ProbeSpec spec) {
        return CyclictestCommandLine.options(spec, CyclictestCommandLine.Mode.UNATTENDED);
    }

    /** The value of vmlat.args on the guest kernel's command line: the options joined by commas, which /init splits. */
    public static String kernelValue(ProbeSpec spec) {
        return String.join(",", cyclictest(spec));
    }

    /**
     * The line a guest serving scenarios reads for one: "RUN n options load trace", the options
     * joined by commas as on the kernel command line, the guest load's name or "-" for none, the
     * trace ring's size per CPU in KB when the guest traces its kernel for this scenario, or "-".
     */
    public static String serveLine(int scenario, ProbeSpec spec, String guestLoad, int traceKb) {
        return "RUN " + scenario + " " + kernelValue(spec) + " " + (guestLoad.isEmpty() ? "-" : guestLoad) + " " + (traceKb > 0 ? traceKb : "-");
    }

    /** The cyclictest command the guest runs, as the record shows it. */
    public static String commandLine(ProbeSpec spec) {
        return "cyclictest " + String.join(" ", cyclictest(spec));
    }
}
