package org.vmlat.load;

import java.util.List;

/**
 * A kernel stress to run while measuring: a preset (mirroring the study's stress kinds), a
 * built-in Java load, or a custom command line.
 *
 * @param name      the name used in plans and reports ("none" for no load)
 * @param preset    a {@link Presets} name, or empty for a custom command
 * @param command   the custom command line (empty for presets)
 * @param instances how many workers (0 = one per online CPU)
 * @param placement where it runs: the host, or with guest targets also inside the guest or both
 */
public record LoadSpec(String name, String preset, List<String> command, int instances, Placement placement) {
    public static final LoadSpec NONE = new LoadSpec("none", "", List.of(), 0, Placement.HOST);

    public LoadSpec {
        command = List.copyOf(command);
        if (name == null || name.isBlank()) throw new IllegalArgumentException("load name must not be empty");
        if (placement == null) throw new IllegalArgumentException("load " + name + ": placement must not be null");
        if (instances < 0) throw new IllegalArgumentException("instances must be >= 0, got " + instances);
    }

    public boolean isNone() {
        return preset.isEmpty() && command.isEmpty();
    }
}
