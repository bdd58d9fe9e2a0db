package org.vmlat.targets.reservation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.vmlat.os.CpuList;
import org.vmlat.os.DeadlineScheduling;
import org.vmlat.os.DeadlineScheduling.Attributes;
import org.vmlat.os.Errno;
import org.vmlat.os.OsCallException;
import org.vmlat.os.ProcessIdentity;
import org.vmlat.os.ThreadScheduling;
import org.vmlat.os.VmlatDirs;

/**
 * Puts a {@link VcpuReservation} on the vCPU threads of a QEMU on this machine and takes it off
 * again: SCHED_DEADLINE through {@code sched_setattr}, CFS bandwidth through a cpu group of its
 * own ({@link CpuGroups}). What was in force is written to a {@link RestoreRecord} in the state
 * folder before the first change, so that a vmlat killed meanwhile leaves the next one what to
 * undo ({@link PendingReservations}). Only the vCPU threads are touched: QEMU's main loop and
 * I/O threads keep running outside the reservation.
 */
public final class ReservationApplier {
    private final Path records;
    private final Path proc;
    private final Supplier<CpuGroups> groups;

    /** Records in vmlat's state folder ({@code reservations}), this machine's /proc and cpu controller. */
    public static ReservationApplier system() {
        return new ReservationApplier(VmlatDirs.state("reservations"), Path.of("/proc"), CpuGroups::system);
    }

    ReservationApplier(Path records, Path proc, Supplier<CpuGroups> groups) {
        this.records = records;
        this.proc = proc;
        this.groups = groups;
    }

    public Path records() {
        return records;
    }

    /**
     * Applies the reservation and reads it back.
     *
     * @param owner the vmlat that restores it when it ends; null for one kept until {@code --undo}
     * @throws ReservationException why it was refused (admission, privileges, pinning, cgroups),
     *                             with nothing left changed
     */
    public Applied apply(VcpuReservation r, ProcessIdentity qemu, List<Integer> vcpus, ProcessIdentity owner) {
        if (r.isNone()) throw new IllegalArgumentException("reservation none: nothing to apply");
        if (vcpus.isEmpty()) throw new ReservationException("QEMU " + qemu.pid() + " has no vCPU threads to reserve");
        Path file = RestoreRecord.file(records, qemu);
        if (Files.exists(file)) throw new ReservationException("QEMU " + qemu.pid() + " already has a reservation by vmlat (" + file + "): undo it first");
        Map<Integer, Attributes> before = new TreeMap<>();
        Map<Integer, String> groupsBefore = new TreeMap<>();
        String created = null;
        CpuGroups g = null;
        try {
            for (int tid : vcpus) before.put(tid, DeadlineScheduling.of(tid));
            if (r.kind() == VcpuReservation.Kind.CFS) {
                g = groups.get();
                for (int tid : vcpus) groupsBefore.put(tid, g.group(tid).orElse("/"));
                created = "/vmlat-reservation-" + qemu;
            }
        } catch (OsCallException e) {
            throw new ReservationException("cannot read the vCPU threads' scheduling: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new ReservationException(e.getMessage(), e);
        }
        RestoreRecord record = new RestoreRecord(owner, qemu, r.written(), before, groupsBefore, created);
        try {
            record.write(file);
        } catch (IOException e) {
            throw new ReservationException("cannot write the restore record " + file + ": " + e.getMessage(), e);
        }
        Applied applied = new Applied(record, file);
        try {
            if (r.kind() == VcpuReservation.Kind.DEADLINE) {
                Attributes a = Attributes.deadline(r.budgetNs(), r.deadlineNs(), r.periodNs(), DeadlineScheduling.SCHED_FLAG_RESET_ON_FORK);
                for (int tid : vcpus) {
                    try {
                        DeadlineScheduling.set(tid, a);
                    } catch (OsCallException e) {
                        throw new ReservationException(deadlineRefusal(r, tid, e), e);
                    }
                }
            } else {
                g.create(created.substring(1), r.budgetNs(), r.periodNs());
                for (int tid : vcpus) {
                    try {
                        g.move(tid, created);
                    } catch (IOException e) {
                        Attributes b = before.get(tid);
                        throw new ReservationException("cannot move vCPU thread " + tid + " into cpu group " + created + ": " + e.getMessage()
                                + (b.policy() == 1 || b.policy() == 2 ? " (it runs SCHED_FIFO/RR, and a group without cpu.rt_runtime_us refuses"
                                + " real-time threads; CFS bandwidth throttles SCHED_OTHER threads only: drop vcpu_priority)" : ""), e);
                    }
                }
            }
            applied.readBack = readBack(r, vcpus, g, created);
        } catch (RuntimeException | IOException e) {
            List<String> problems = restore(record, g);
            if (problems.isEmpty()) deleteQuietly(file);
            String restoreNote = problems.isEmpty() ? "" : "; restoring failed too: " + String.join("; ", problems) + " (kept in " + file + ")";
            if (e instanceof ReservationException re) throw new ReservationException(re.getMessage() + restoreNote, re);
            throw new ReservationException("cannot apply " + r.written() + ": " + e.getMessage() + restoreNote, e);
        }
        return applied;
    }

    /** The reservation in force as the kernel reports it, one line per thread; ReservationException when it is not what was set. */
    private String readBack(VcpuReservation r, List<Integer> vcpus, CpuGroups g, String group) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int tid : vcpus) {
            if (s.length() > 0) s.append("; ");
            if (r.kind() == VcpuReservation.Kind.DEADLINE) {
                Attributes a = DeadlineScheduling.of(tid);
                if (!a.isDeadline() || a.runtimeNs() != r.budgetNs() || a.deadlineNs() != r.deadlineNs() || a.periodNs() != r.periodNs()) {
                    throw new ReservationException("vCPU thread " + tid + " reads back " + DeadlineScheduling.describe(a) + " after " + r.written());
                }
                s.append("tid ").append(tid).append(' ').append(DeadlineScheduling.describe(a));
                if ((a.flags() & DeadlineScheduling.SCHED_FLAG_RESET_ON_FORK) != 0) s.append(" reset-on-fork");
            } else {
                String now = g.group(tid).orElse("?");
                if (!now.equals(group)) throw new ReservationException("vCPU thread " + tid + " is in cpu group " + now + ", not " + group);
                s.append("tid ").append(tid).append(" cgroup ").append(group).append(' ').append(g.bandwidth(group));
            }
        }
        return s.toString();
    }

    /** Says what the kernel's refusal means for a deadline reservation. */
    private static String deadlineRefusal(VcpuReservation r, int tid, OsCallException e) {
        String what = "SCHED_DEADLINE " + r.parameters() + " on vCPU thread " + tid + " refused: " + e.getMessage();
        if (e.errno() == Errno.EBUSY) {
            return what + ": admission control: the CPUs' deadline bandwidth (sched_rt_runtime_us/sched_rt_period_us of each CPU,"
                    + " less what other deadline threads hold) has no room for " + String.format(Locale.ROOT, "%.3f", r.bandwidth()) + " more";
        }
        if (e.errno() == Errno.EPERM) {
            String cpus = "";
            try {
                cpus = CpuList.format(ThreadScheduling.of(tid).cpus());
            } catch (OsCallException ignored) {
                // the thread ended
            }
            return what + ": either vmlat lacks CAP_SYS_NICE (run as root), or the thread is pinned (CPUs " + cpus
                    + "): a deadline thread's affinity must span its whole root domain, so pin and deadline reservations exclude each other";
        }
        if (e.errno() == Errno.EINVAL) {
            return what + ": the kernel rejects these parameters (runtime >= 1024 ns, period within"
                    + " /proc/sys/kernel/sched_deadline_period_min_us..max_us)";
        }
        return what;
    }

    /** Takes a reservation off: what could not be put back (empty when all is back or the QEMU is gone with its threads). */
    List<String> restore(RestoreRecord r, CpuGroups g) {
        List<String> problems = new ArrayList<>();
        boolean alive = r.qemu().isAlive();
        if (alive) {
            r.threads().forEach((tid, a) -> {
                if (!Files.exists(proc.resolve(r.qemu().pid() + "/task/" + tid))) return; // the thread ended
                try {
                    DeadlineScheduling.set(tid, restorable(a));
                } catch (OsCallException e) {
                    problems.add("thread " + tid + " back to " + DeadlineScheduling.describe(a) + ": " + e.getMessage());
                }
            });
        }
        if (r.created() == null && r.cgroups().isEmpty()) return problems;
        CpuGroups groups;
        try {
            groups = g != null ? g : this.groups.get();
        } catch (IllegalStateException e) {
            problems.add(e.getMessage());
            return problems;
        }
        if (alive) {
            r.cgroups().forEach((tid, group) -> {
                if (!Files.exists(proc.resolve(r.qemu().pid() + "/task/" + tid))) return;
                try {
                    groups.move(tid, group);
                } catch (IOException e) {
                    problems.add("thread " + tid + " back into cpu group " + group + ": " + e.getMessage());
                }
            });
        }
        if (r.created() != null && groups.exists(r.created())) {
            try {
                groups.remove(r.created());
            } catch (IOException e) {
                problems.add("removing cpu group " + r.created() + ": " + e.getMessage());
            }
        }
        return problems;
    }

    /**
     * Takes off the reservation kept for a QEMU ({@code vmlat design --apply}) and removes its record.
     *
     * @return the record that was undone
     * @throws ReservationException when there is none, or what could not be put back
     */
    public RestoreRecord undo(ProcessIdentity qemu) {
        Path file = RestoreRecord.file(records, qemu);
        RestoreRecord r;
        try {
            r = RestoreRecord.read(file).orElseThrow(() -> new ReservationException("QEMU " + qemu.pid() + " has no reservation by vmlat (no " + file + ")"));
        } catch (IOException | IllegalArgumentException e) {
            throw new ReservationException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<String> problems = restore(r, null);
        if (!problems.isEmpty()) throw new ReservationException("could not restore: " + String.join("; ", problems) + " (kept in " + file + ")");
        deleteQuietly(file);
        return r;
    }

    /**
     * What to write back: for a normal policy without the runtime that sched_getattr reports as
     * the thread's time slice (since Linux 6.12 a runtime written for a fair thread makes that
     * slice a custom one; zero leaves the kernel's default, which is what QEMU's threads have).
     */
    private static Attributes restorable(Attributes a) {
        return a.isDeadline() ? a : new Attributes(a.policy(), a.flags(), a.nice(), a.priority(), 0, 0, 0);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a record left behind is restored (a no-op) by the next vmlat
        }
    }

    /** A reservation in force; closing it restores the threads and removes its record. */
    public final class Applied implements AutoCloseable {
        private final RestoreRecord record;
        private final Path file;
        private String readBack = "";
        private boolean closed;

        private Applied(RestoreRecord record, Path file) {
            this.record = record;
            this.file = file;
        }

        /** The reservation as the kernel reported it right after it was applied. */
        public String readBack() {
            return readBack;
        }

        public RestoreRecord record() {
            return record;
        }

        public Path file() {
            return file;
        }

        /** @throws ReservationException what could not be put back (the record stays for the next vmlat) */
        @Override
        public void close() {
            if (closed) return;
            closed = true;
            List<String> problems = restore(record, null);
            if (!problems.isEmpty()) {
                throw new ReservationException("could not restore the vCPU threads of QEMU " + record.qemu().pid() + ": " + String.join("; ", problems)
                        + " (kept in " + file + "; the next vmlat tries again)");
            }
            deleteQuietly(file);
        }
    }
}
