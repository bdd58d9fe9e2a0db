package org.vmlat.targets.qemu;

import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import org.vmlat.os.CpuList;
import org.vmlat.targets.TargetSettings;
import org.vmlat.targets.image.GuestCmdline;
import org.vmlat.targets.reservation.VcpuReservation;

/**
 * How a QEMU guest target is run.
 *
 * @param kernel        nrt, rt or a path (see {@link GuestImageBuilder#build})
 * @param accel         auto (KVM if a test boot shows it really runs a guest, else TCG), kvm or tcg
 * @param pin           host CPUs for the vCPU threads, round-robin (empty = not pinned)
 * @param vcpuPriority  SCHED_FIFO priority of the vCPU threads (0 = leave them SCHED_OTHER)
 * @param qemuPriority  SCHED_FIFO priority of all other QEMU threads (0 = leave them)
 * @param reservation   the CPU reservation on the vCPU threads for a scenario (the {@code reservation} dimension)
 * @param host          where QEMU runs: "" = this machine, else the name of an ssh target of the
 *                      plan, or {@link #EMULATED_KVM} for the host of {@code vmlat kvm up}
 * @param boot          whether consecutive scenarios with the same boot-time settings (traced or reserved alike) share one
 *                      boot of the guest ({@link Boot#ONCE}) or each boots its own
 * @param guestCmdline  kernel parameters added to the guest's command line for a scenario (the {@code guest_cmdline} dimension; "" = none)
 */
public record QemuSettings(String kernel, int vcpus, int memoryMb, String accel, List<Integer> pin, int vcpuPriority,
                           int qemuPriority, List<String> extraArgs, long bootTimeoutNs, String host, VcpuReservation reservation, Boot boot,
                           String guestCmdline)
        implements TargetSettings {
    /** {@code host = "emulated-kvm"}: the emulated KVM host of {@code vmlat kvm up} (unless a plan target has that name). */
    public static final String EMULATED_KVM = "emulated-kvm";

    /** How often the guest boots: once for the scenarios that can share it, or for each scenario (the reference). */
    public enum Boot {
        ONCE("once"), PER_SCENARIO("per-scenario");

        public final String planName;

        Boot(String planName) {
            this.planName = planName;
        }

        /** The value a plan writes, or null. */
        public static Boot of(String planName) {
            for (Boot b : values()) if (b.planName.equals(planName)) return b;
            return null;
        }
    }

    public QemuSettings {
        if (boot == null) throw new IllegalArgumentException("boot must not be null");
        if (host == null) throw new IllegalArgumentException("host must not be null (\"\" = this machine)");
        if (reservation == null) throw new IllegalArgumentException("reservation must not be null (VcpuReservation.NONE)");
        if (guestCmdline == null) throw new IllegalArgumentException("guestCmdline must not be null (\"\" = none)");
        pin = List.copyOf(pin);
        extraArgs = List.copyOf(extraArgs);
    }

    /** A guest with nothing added to its command line. */
    public QemuSettings(String kernel, int vcpus, int memoryMb, String accel, List<Integer> pin, int vcpuPriority, int qemuPriority,
                        List<String> extraArgs, long bootTimeoutNs, String host, VcpuReservation reservation, Boot boot) {
        this(kernel, vcpus, memoryMb, accel, pin, vcpuPriority, qemuPriority, extraArgs, bootTimeoutNs, host, reservation, boot, "");
    }

    /** A guest booted once for the scenarios that can share it, without a reservation. */
    public QemuSettings(String kernel, int vcpus, int memoryMb, String accel, List<Integer> pin, int vcpuPriority, int qemuPriority,
                        List<String> extraArgs, long bootTimeoutNs, String host, Boot boot) {
        this(kernel, vcpus, memoryMb, accel, pin, vcpuPriority, qemuPriority, extraArgs, bootTimeoutNs, host, VcpuReservation.NONE, boot);
    }

    /**
     * The kernel dimension picks the guest kernel, the reservation dimension the vCPU threads' reservation, guest_cmdline
     * what is added to the guest's command line.
     */
    @Override
    public QemuSettings forScenario(Map<String, String> dimensions) {
        QemuSettings s = dimensions.containsKey("kernel") ? withKernel(dimensions.get("kernel")) : this;
        VcpuReservation r = dimensions.containsKey(RESERVATION) ? VcpuReservation.parse(dimensions.get(RESERVATION), Path.of("")) : reservation;
        String c = dimensions.getOrDefault(GuestCmdline.DIMENSION, guestCmdline);
        return new QemuSettings(s.kernel, vcpus, memoryMb, accel, pin, vcpuPriority, qemuPriority, extraArgs, bootTimeoutNs, host, r, boot, c);
    }

    /** The reservation dimension's name in plans. */
    public static final String RESERVATION = "reservation";

    /** Reservation values these settings cannot take: deadline with pinned vCPUs, cfs with real-time vCPUs, any on another machine. */
    @Override
    public String matrixProblem(String dimension, List<String> values) {
        if (!dimension.equals(RESERVATION)) return null;
        for (String v : values) {
            VcpuReservation r = VcpuReservation.parse(v, Path.of(""));
            if (r.isNone()) continue;
            if (!host.isEmpty()) return "runs QEMU on another machine (host = \"" + host + "\"): reservations apply to guests on this machine only";
            if (r.kind() == VcpuReservation.Kind.DEADLINE && !pin.isEmpty()) {
                return "pins its vCPU threads (pin = \"" + CpuList.format(pin) + "\"), and SCHED_DEADLINE refuses a thread whose affinity does not"
                        + " span all CPUs (EPERM): drop pin for \"" + v + "\"";
            }
            if (r.kind() == VcpuReservation.Kind.CFS && vcpuPriority > 0) {
                return "runs its vCPU threads SCHED_FIFO (vcpu_priority = " + vcpuPriority + "), which CFS bandwidth does not throttle: drop vcpu_priority for \""
                        + v + "\"";
            }
        }
        return null;
    }

    /** A guest on this machine. */
    public QemuSettings(String kernel, int vcpus, int memoryMb, String accel, List<Integer> pin, int vcpuPriority, int qemuPriority,
                        List<String> extraArgs, long bootTimeoutNs) {
        this(kernel, vcpus, memoryMb, accel, pin, vcpuPriority, qemuPriority, extraArgs, bootTimeoutNs, "");
    }

    public QemuSettings(String kernel, int vcpus, int memoryMb, String accel, List<Integer> pin, int vcpuPriority, int qemuPriority,
                        List<String> extraArgs, long bootTimeoutNs, String host) {
        this(kernel, vcpus, memoryMb, accel, pin, vcpuPriority, qemuPriority, extraArgs, bootTimeoutNs, host, Boot.ONCE);
    }

    public QemuSettings withKernel(String k) {
        return new QemuSettings(k, vcpus, memoryMb, accel, pin, vcpuPriority, qemuPriority, extraArgs, bootTimeoutNs, host, reservation, boot, guestCmdline);
    }
}
