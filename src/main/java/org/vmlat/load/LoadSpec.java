package org.vmlat.load;

import java.util.ArrayList;
import java.util.List;
import org.vmlat.os.CpuList;

/**
 * A kernel stress to run while measuring: a preset (mirroring the study's stress kinds), a
 * built-in Java load, or a custom command line.
 *
 * @param name      the name used in plans and reports ("none" for no load)
 * @param preset    a {@link Presets} name, or empty for a custom command
 * @param command   the custom command line (empty for presets)
 * @param instances how many workers (0 = one per online CPU)
 * @param placement where it runs: the host, or with guest targets also inside the guest or both
 * @param cpus      the CPUs its host side is pinned to (taskset's list); empty: wherever the kernel puts it
 */
public record LoadSpec(String name, String preset, List<String> command, int instances, Placement placement, List<Integer> cpus) {
    public static final LoadSpec NONE = new LoadSpec("none", "", List.of(), 0, Placement.HOST);

    /** A load the kernel places. */
    public LoadSpec(String name, String preset, List<String> command, int instances, Placement placement) {
        this(name, preset, command, instances, placement, List.of());
    }

    public LoadSpec {
        command = List.copyOf(command);
        cpus = List.copyOf(cpus);
        if (name == null || name.isBlank()) throw new IllegalArgumentException("load name must not be empty");
        if (placement == null) throw new IllegalArgumentException("load " + name + ": placement must not be null");
        if (instances < 0) throw new IllegalArgumentException("instances must be >= 0, got " + instances);
    }

    /**
     * The command as started on the host: under {@code taskset -c} when the load has CPUs, so that
     * every process and thread it makes inherits the affinity from its first exec.
     */
    public List<String> pinned(List<String> hostCommand) {
        if (cpus.isEmpty() || hostCommand.isEmpty()) return hostCommand;
        List<String> c = new ArrayList<>(List.of("taskset", "-c", CpuList.format(cpus)));
        c.addAll(hostCommand);
        return List.copyOf(c);
    }

    public boolean isNone() {
        return preset.isEmpty() && command.isEmpty();
    }
}
