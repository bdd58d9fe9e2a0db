package org.vmlat.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.vmlat.latency.Durations;
import org.vmlat.os.DeadlineScheduling;
import org.vmlat.sched.server.Reservation;
import org.vmlat.targets.reservation.ReservationApplier;
import org.vmlat.targets.reservation.ReservationException;
import org.vmlat.targets.reservation.RestoreRecord;
import org.vmlat.targets.reservation.RunningQemus;
import org.vmlat.targets.reservation.VcpuReservation;

/**
 * {@code vmlat design --apply TARGET} and {@code --undo TARGET}: the designed reservation on a
 * running QEMU's vCPU threads as SCHED_DEADLINE, kept (with its restore record) until undone.
 */
final class DesignApply {
    private DesignApply() {}

    /** The reservation of {@code vm} among the designed ones: the one named, or the only one. */
    static Reservation pick(List<Reservation> designed, String vm) {
        if (vm != null) {
            return designed.stream().filter(r -> r.vm().equals(vm)).findFirst().orElseThrow(() -> new VmlatException(ExitCodes.USAGE,
                    "--vm: no reservation designed for VM \"" + vm + "\" (designed: " + String.join(", ", designed.stream().map(Reservation::vm).toList()) + ")"));
        }
        if (designed.size() != 1) {
            throw new VmlatException(ExitCodes.USAGE, "--apply: the file designs " + designed.size() + " reservations; name the VM with --vm");
        }
        return designed.get(0);
    }

    static void apply(PrintWriter out, Path file, Reservation r, String target) {
        RunningQemus.Found q = find(target);
        VcpuReservation v = new VcpuReservation("design:" + file + ":" + r.vm(), VcpuReservation.Kind.DEADLINE, r.budgetNs(), r.deadlineNs(), r.periodNs());
        ReservationApplier.Applied a;
        try {
            a = ReservationApplier.system().apply(v, q.qemu(), q.vcpus(), null);
        } catch (ReservationException e) {
            throw new VmlatException(ExitCodes.ENVIRONMENT, e.getMessage());
        }
        out.println("Applied to QEMU " + q.qemu().pid() + (q.name().isEmpty() ? "" : " (" + q.name() + ")") + ", " + q.vcpus().size() + " vCPU thread(s):");
        a.record().threads().forEach((tid, before) -> out.println("  thread " + tid + ": " + DeadlineScheduling.describe(before) + " -> SCHED_DEADLINE runtime "
                + Durations.format(r.budgetNs()) + " deadline " + Durations.format(r.deadlineNs()) + " period " + Durations.format(r.periodNs())));
        out.println("  read back: " + a.readBack());
        out.println("Kept until undone (restore record " + a.file() + "). Undo: vmlat design --undo " + q.qemu().pid());
        out.flush();
    }

    static void undo(PrintWriter out, String target) {
        RunningQemus.Found q = find(target);
        RestoreRecord r;
        try {
            r = ReservationApplier.system().undo(q.qemu());
        } catch (ReservationException e) {
            throw new VmlatException(ExitCodes.ENVIRONMENT, e.getMessage());
        }
        out.println("Undid " + r.reservation() + " on QEMU " + q.qemu().pid() + ":");
        r.threads().forEach((tid, before) -> out.println("  thread " + tid + " back to " + DeadlineScheduling.describe(before)));
        out.flush();
    }

    private static RunningQemus.Found find(String target) {
        try {
            return new RunningQemus(Path.of("/proc")).find(target);
        } catch (ReservationException e) {
            throw new VmlatException(ExitCodes.USAGE, "--apply/--undo " + target + ": " + e.getMessage());
        }
    }
}
