package org.vmlat.targets.libvirt;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The schedulers libvirt's {@code <vcpusched>} names, with the kernel's number for each (what
 * vmlat sets through the thread ids when libvirt cannot). libvirt has no SCHED_DEADLINE for vCPUs.
 */
public enum VcpuScheduler {
    OTHER("other", 0), FIFO("fifo", 1), RR("rr", 2), BATCH("batch", 3), IDLE("idle", 5);

    public final String planName;
    public final int kernelPolicy;

    VcpuScheduler(String planName, int kernelPolicy) {
        this.planName = planName;
        this.kernelPolicy = kernelPolicy;
    }

    public boolean realtime() {
        return this == FIFO || this == RR;
    }

    public static Optional<VcpuScheduler> byName(String name) {
        return Arrays.stream(values()).filter(s -> s.planName.equals(name)).findFirst();
    }

    /** The name of a kernel policy number, for the record ("deadline", "policy 7" for unknown ones). */
    public static String nameOf(int kernelPolicy) {
        if (kernelPolicy == 6) return "deadline";
        return Arrays.stream(values()).filter(s -> s.kernelPolicy == kernelPolicy).map(s -> s.planName).findFirst()
                .orElse("policy " + kernelPolicy);
    }

    public static List<String> planNames() {
        return Arrays.stream(values()).map(s -> s.planName).toList();
    }
}
