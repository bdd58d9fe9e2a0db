package org.vmlat.explain;

import java.util.List;
import java.util.Locale;

/**
 * A vCPU's time out of guest mode for one exit reason inside a guest spike's window, from the host's
 * {@code kvm:kvm_exit} and {@code kvm:kvm_entry}: while the vCPU thread was "running" on the host it was not running
 * the guest for {@code durationNs}, in {@code count} exits.
 *
 * @param thread     the vCPU thread's name on the host ({@code CPU 0/KVM}, or {@code qemu-system-x86} without QEMU's
 *                   thread names)
 * @param tid        its thread id on the host
 * @param reason     the exit reason as the host's kernel prints it ({@code hlt}, {@code msr}, {@code npf} on AMD;
 *                   {@code HLT}, {@code MSR_WRITE}, {@code EPT_VIOLATION} on Intel), with the MSR when
 *                   {@code kvm:kvm_msr} named it ({@code msr write 0x6e0 (TSC deadline)})
 * @param count      the exits that overlap the window
 * @param durationNs their time out of guest mode inside the window
 */
public record VmExit(String thread, int tid, String reason, int count, long durationNs) {
    public VmExit {
        if (thread == null || thread.isBlank()) throw new IllegalArgumentException("thread must not be blank");
        if (reason == null || reason.isBlank()) throw new IllegalArgumentException("reason must not be blank");
        if (count < 1) throw new IllegalArgumentException("count must be >= 1, got " + count);
        if (durationNs < 0) throw new IllegalArgumentException("durationNs must be >= 0, got " + durationNs);
    }

    /** {@code msr write 0x6e0 (TSC deadline) 5x 10694.0us}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s %dx %.1fus", reason, count, durationNs / 1000.0);
    }

    /**
     * One line per vCPU thread, its reasons longest first as given:
     * {@code vCPU thread CPU 0/KVM (tid 287): out of guest mode 312.0us: interrupt 3x 280.0us, msr write 0x6e0 (TSC deadline) 12x 32.0us}.
     */
    public static String describe(List<VmExit> ofOneThread) {
        long total = 0;
        StringBuilder reasons = new StringBuilder();
        for (VmExit x : ofOneThread) {
            total += x.durationNs();
            reasons.append(reasons.length() == 0 ? "" : ", ").append(x.describe());
        }
        return String.format(Locale.ROOT, "vCPU thread %s (tid %d): out of guest mode %.1fus: %s", ofOneThread.get(0).thread(), ofOneThread.get(0).tid(),
                total / 1000.0, reasons);
    }
}
