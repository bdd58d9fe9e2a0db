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
     * Where a probe runs: "local" (this machine), "qemu" (a guest vmlat boots; {@code qemu} holds
     * its settings) or "xen" (a guest created in a Dom0 over SSH; {@code xen} holds its settings).
     */
    public record TargetSpec(String name, String kind, org.vmlat.targets.qemu.QemuSettings qemu, org.vmlat.targets.xen.XenSettings xen) {
        /** The spec one scenario runs with: the target-shaping dimensions (kernel, mode, ...) applied. */
        public TargetSpec forScenario(Map<String, String> dims) {
            if (xen != null) return new TargetSpec(name, kind, qemu, xen.with(dims));
            if (qemu != null && dims.containsKey("kernel") && !dims.get("kernel").equals("-")) {
                return new TargetSpec(name, kind, qemu.withKernel(dims.get("kernel")), null);
            }
            return this;
        }
    }
}
