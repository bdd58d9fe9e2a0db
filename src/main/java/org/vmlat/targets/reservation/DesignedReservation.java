package org.vmlat.targets.reservation;

import java.nio.file.Files;
import java.nio.file.Path;
import org.vmlat.latency.FormatException;
import org.vmlat.sched.LatencyModel;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.TaskSet;
import org.vmlat.sched.server.Reservation;
import org.vmlat.sched.server.ReservationDesign;
import org.vmlat.taskset.TaskSetFile;

/**
 * The reservation {@code vmlat design FILE} computes for one VM with its defaults (fixed priority
 * inside, no latency, no overhead), at the period (and deadline: the EDP model) of the VM's
 * {@code [[vm]]} table, which a {@code design:} value therefore needs.
 */
public final class DesignedReservation {
    private DesignedReservation() {}

    static VcpuReservation resolve(String written, Path file, String vm) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no VM file " + file + " in \"" + written + "\"");
        Reservation r = design(file, vm);
        return new VcpuReservation(written, VcpuReservation.Kind.DEADLINE, r.budgetNs(), r.deadlineNs(), r.periodNs());
    }

    /** The designed reservation of {@code vm}; IllegalArgumentException when there is none. */
    public static Reservation design(Path file, String vm) {
        TaskSetFile.Contents c;
        try {
            c = TaskSetFile.read(file);
        } catch (FormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        TaskSet tasks = c.byVm().get(vm);
        if (tasks == null) throw new IllegalArgumentException(file + ": no tasks of VM \"" + vm + "\" (it has: " + String.join(", ", c.byVm().keySet()) + ")");
        TaskSetFile.VmSettings s = c.vms().get(vm);
        if (s == null || s.periodNs() <= 0) throw new IllegalArgumentException(file + ": VM \"" + vm + "\" needs a [[vm]] table with its server period");
        long deadline = s.deadlineNs() > 0 ? s.deadlineNs() : s.periodNs();
        ReservationDesign.Design d = ReservationDesign.design(vm, tasks, Scheduler.FP, s.periodNs(), deadline, 0, LatencyModel.JITTER, 0);
        return d.reservation().orElseThrow(() -> new IllegalArgumentException(file + ": VM \"" + vm + "\" cannot be served: " + d.reason()));
    }
}
