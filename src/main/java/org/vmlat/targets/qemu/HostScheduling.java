package org.vmlat.targets.qemu;

import java.util.List;

/**
 * The host scheduling a scenario gives QEMU's threads (vCPU pinning, vCPU and QEMU priorities).
 * A running guest takes a scenario's scheduling when its threads were left as QEMU started them
 * or already have it; threads raised differently are not lowered back, the guest is booted afresh.
 */
record HostScheduling(List<Integer> pin, int vcpuPriority, int qemuPriority) {
    static final HostScheduling NONE = new HostScheduling(List.of(), 0, 0);

    HostScheduling {
        pin = List.copyOf(pin);
    }

    static HostScheduling of(QemuSettings s) {
        return new HostScheduling(s.pin(), s.vcpuPriority(), s.qemuPriority());
    }

    /** Whether threads scheduled as this can be given {@code next} without a new boot. */
    boolean canBecome(HostScheduling next) {
        return equals(NONE) || equals(next);
    }
}
