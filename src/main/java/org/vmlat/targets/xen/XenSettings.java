package org.vmlat.targets.xen;

import java.util.List;
import java.util.Map;
import org.vmlat.targets.TargetSettings;
import org.vmlat.targets.image.GuestCmdline;
import org.vmlat.targets.ssh.SshSettings;

/**
 * How a Xen target runs its guests. One scenario's values: the matrix dimensions mode, kernel,
 * dm_priority, scheduler and guest_cmdline override the target's own (see {@link #with}).
 *
 * @param ssh         how to reach Dom0; null with {@code emulated} (then {@code vmlat xen up}'s machine)
 * @param emulated    Dom0 is the machine {@code vmlat xen up} boots under QEMU
 * @param mode        pv, pvh or hvm
 * @param kernel      guest kernel: nrt, rt or a path (as for QEMU guests)
 * @param pin         physical CPUs of the Xen host for the vCPUs, one per vCPU in turn (empty = not pinned)
 * @param dmPriority  SCHED_FIFO priority for the HVM device model's threads in Dom0 (0 = leave them)
 * @param scheduler   "" = the guest runs in Pool-0 as it is; else a cpupool with this Xen
 *                    scheduler (credit, credit2, rtds, null, arinc653) on the pinned CPUs
 * @param cpuid       xl's cpuid setting ("" = none; the emulated Xen masks AVX, see docs/xen.md)
 * @param guestCmdline kernel parameters added to the guest's command line (the {@code guest_cmdline} dimension; "" = none)
 * @param bootOnce    consecutive scenarios with the same boot-time settings share one guest, which takes each
 *                    scenario as a command on its console ({@code boot = "once"}); false: each boots its own
 *                    ({@code "per-scenario"}, the reference)
 */
public record XenSettings(SshSettings ssh, boolean emulated, String mode, String kernel, int vcpus, int memoryMb,
                          List<Integer> pin, int dmPriority, String scheduler, String cpuid, List<String> xlExtra,
                          long bootTimeoutNs, String guestCmdline, boolean bootOnce) implements TargetSettings {
    public static final List<String> MODES = List.of("pv", "pvh", "hvm");
    public static final List<String> SCHEDULERS = List.of("credit", "credit2", "rtds", "null", "arinc653");

    public XenSettings {
        if (guestCmdline == null) throw new IllegalArgumentException("guestCmdline must not be null (\"\" = none)");
        pin = List.copyOf(pin);
        xlExtra = List.copyOf(xlExtra);
        if (!MODES.contains(mode)) throw new IllegalArgumentException("mode \"" + mode + "\" is not one of " + MODES);
        if (!scheduler.isEmpty() && !SCHEDULERS.contains(scheduler)) {
            throw new IllegalArgumentException("scheduler \"" + scheduler + "\" is not one of " + SCHEDULERS + " (or \"\" for Pool-0 as it is)");
        }
        if (!scheduler.isEmpty() && pin.isEmpty()) throw new IllegalArgumentException("a scheduler needs pin: the CPUs its cpupool takes from Pool-0");
    }

    /** A guest with nothing added to its command line. */
    public XenSettings(SshSettings ssh, boolean emulated, String mode, String kernel, int vcpus, int memoryMb, List<Integer> pin, int dmPriority,
                       String scheduler, String cpuid, List<String> xlExtra, long bootTimeoutNs) {
        this(ssh, emulated, mode, kernel, vcpus, memoryMb, pin, dmPriority, scheduler, cpuid, xlExtra, bootTimeoutNs, "", true);
    }

    @Override
    public XenSettings forScenario(Map<String, String> dimensions) {
        return with(dimensions);
    }

    /** A scheduler's cpupool takes the pinned CPUs from Pool-0: a scheduler dimension needs pin. */
    @Override
    public String matrixProblem(String dimension, List<String> values) {
        if (dimension.equals("scheduler") && pin.isEmpty() && values.stream().anyMatch(v -> !schedulerValue(v).isEmpty())) {
            return "has no pin: a scheduler's cpupool takes the pinned CPUs from Pool-0";
        }
        return null;
    }

    /** This target with one scenario's values of the Xen dimensions (absent keys keep the target's). */
    public XenSettings with(Map<String, String> dims) {
        return new XenSettings(ssh, emulated, dims.getOrDefault("mode", mode), dims.getOrDefault("kernel", kernel), vcpus, memoryMb, pin,
                dims.containsKey("dm_priority") ? Integer.parseInt(dims.get("dm_priority")) : dmPriority,
                dims.containsKey("scheduler") ? schedulerValue(dims.get("scheduler")) : scheduler, cpuid, xlExtra, bootTimeoutNs,
                dims.getOrDefault(GuestCmdline.DIMENSION, guestCmdline), bootOnce);
    }

    /** "pool0" in a matrix means Pool-0 as it is. */
    public static String schedulerValue(String v) {
        return v.equals("pool0") || v.equals("default") ? "" : v;
    }
}
