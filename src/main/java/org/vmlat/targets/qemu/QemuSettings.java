package org.vmlat.targets.qemu;

import java.util.List;
import java.util.Map;
import org.vmlat.targets.TargetSettings;

/**
 * How a QEMU guest target is run.
 *
 * @param kernel        nrt, rt or a path (see {@link GuestImageBuilder#build})
 * @param accel         auto (KVM if a test boot shows it really runs a guest, else TCG), kvm or tcg
 * @param pin           host CPUs for the vCPU threads, round-robin (empty = not pinned)
 * @param vcpuPriority  SCHED_FIFO priority of the vCPU threads (0 = leave them SCHED_OTHER)
 * @param qemuPriority  SCHED_FIFO priority of all other QEMU threads (0 = leave them)
 * @param host          where QEMU runs: "" = this machine, else the name of an ssh target of the
 *                      plan, or {@link #EMULATED_KVM} for the host of {@code vmlat kvm up}
 */
public record QemuSettings(String kernel, int vcpus, int memoryMb, String accel, List<Integer> pin, int vcpuPriority,
                           int qemuPriority, List<String> extraArgs, long bootTimeoutNs, String host) implements TargetSettings {
    /** {@code host = "emulated-kvm"}: the emulated KVM host of {@code vmlat kvm up} (unless a plan target has that name). */
    public static final String EMULATED_KVM = "emulated-kvm";

    public QemuSettings {
        if (host == null) throw new IllegalArgumentException("host must not be null (\"\" = this machine)");
        pin = List.copyOf(pin);
        extraArgs = List.copyOf(extraArgs);
    }

    /** The kernel dimension picks the guest kernel. */
    @Override
    public QemuSettings forScenario(Map<String, String> dimensions) {
        return dimensions.containsKey("kernel") ? withKernel(dimensions.get("kernel")) : this;
    }

    /** A guest on this machine. */
    public QemuSettings(String kernel, int vcpus, int memoryMb, String accel, List<Integer> pin, int vcpuPriority, int qemuPriority,
                        List<String> extraArgs, long bootTimeoutNs) {
        this(kernel, vcpus, memoryMb, accel, pin, vcpuPriority, qemuPriority, extraArgs, bootTimeoutNs, "");
    }

    public QemuSettings withKernel(String k) {
        return new QemuSettings(k, vcpus, memoryMb, accel, pin, vcpuPriority, qemuPriority, extraArgs, bootTimeoutNs, host);
    }
}
