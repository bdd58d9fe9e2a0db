package org.vmlat.lab;

import java.util.List;
import java.util.Map;
import org.vmlat.load.LoadSpec;
import org.vmlat.os.SchedPolicy;

/**
 * A lab plan as read from its file: the matrix of dimensions and the fixed settings. See
 * docs/lab.md for the file format.
 *
 * @param dimensions   dimension name -> values in file order (target, probe, interval, load,
 *                     priority; repetition is added by {@link Matrix})
 * @param excludes     combinations to leave out: each is dimension -> allowed values; a scenario
 *                     matching every entry of one exclude is dropped
 */
public record Plan(String name, String source, String text, long durationNs, long warmupNs, int repetitions,
                   long timeoutNs, Map<String, List<String>> dimensions, Map<String, TargetSpec> targets,
                   Map<String, LoadSpec> loads, int threads, List<Integer> affinity, SchedPolicy policy,
                   long histogramMaxNs, List<Map<String, List<String>>> excludes) {

    /**
     * Where a probe runs: "local" (this machine) or "qemu" (a guest vmlat boots; {@code qemu}
     * holds its settings, null otherwise). SSH, libvirt and Xen targets come later.
     */
    public record TargetSpec(String name, String kind, org.vmlat.target.qemu.QemuSettings qemu) {}
}
