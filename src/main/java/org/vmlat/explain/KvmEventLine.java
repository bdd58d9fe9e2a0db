package org.vmlat.explain;

import java.util.Map;

/**
 * The KVM events' text, which is not {@code key=value}: {@code kvm_exit: vcpu 0 reason hlt rip 0xffffffff81a592ea
 * info1 0x0 ...} (a reason may hold a space: {@code UD excp}; Intel's may end in {@code FAILED_VMENTRY}),
 * {@code kvm_entry: vcpu 0, rip 0x...}, {@code kvm_msr: msr_write 6e0 = 0x15a9d27375}.
 */
public final class KvmEventLine {
    /** The MSRs a real-time guest writes on its timer path, by their index as kvm_msr prints it. */
    private static final Map<String, String> KNOWN_MSRS = Map.of(
            "6e0", "TSC deadline", "80b", "x2APIC EOI", "830", "x2APIC ICR", "838", "x2APIC timer count");

    private KvmEventLine() {}

    /** kvm_exit's reason, or empty when the event is not a kvm_exit or has none. */
    public static String exitReason(TraceEvent e) {
        if (!e.name().equals("kvm_exit")) return "";
        String text = payload(e);
        int at = text.indexOf("reason ");
        if (at < 0) return "";
        int end = text.indexOf(" rip 0x", at);
        return (end < 0 ? text.substring(at + 7) : text.substring(at + 7, end)).strip();
    }

    /**
     * An MSR exit's reason with what kvm_msr says of it: {@code msr} and {@code msr_write 6e0 = ...} give
     * {@code msr write 0x6e0 (TSC deadline)}; Intel's {@code MSR_WRITE} gives {@code MSR_WRITE 0x6e0 (TSC deadline)}.
     * The reason unchanged when the event is not a kvm_msr.
     */
    public static String withMsr(String reason, TraceEvent msr) {
        if (!msr.name().equals("kvm_msr")) return reason;
        String[] w = payload(msr).strip().split("\\s+");
        if (w.length < 2 || !w[0].startsWith("msr_")) return reason;
        String direction = w[0].substring(4);
        String known = KNOWN_MSRS.get(w[1]);
        boolean saysDirection = reason.toLowerCase(java.util.Locale.ROOT).contains(direction);
        return reason + (saysDirection ? "" : " " + direction) + " 0x" + w[1] + (known == null ? "" : " (" + known + ")");
    }

    private static String payload(TraceEvent e) {
        String marker = e.name() + ": ";
        int at = e.line().indexOf(marker);
        return at < 0 ? "" : e.line().substring(at + marker.length());
    }
}
