package org.vmlat.targets.libvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.vmlat.os.CpuList;
import org.vmlat.os.OsCallException;
import org.vmlat.os.ThreadScheduling;
import org.vmlat.os.ThreadScheduling.OfThread;

/**
 * One scenario's changes to a domain's threads, undone by {@link #close}: pinning live through
 * libvirt ({@code virsh vcpupin/emulatorpin --live}), schedulers and priorities through the thread
 * ids (libvirt cannot change {@code <vcpusched>} of a running domain, and refuses FIFO when QEMU
 * runs as an unprivileged user). What was in force before is written to a {@link RestoreRecord}
 * before the first change, so that a vmlat killed meanwhile leaves the next one what to restore.
 */
final class ThreadTuning implements AutoCloseable {
    private static final int SCHED_FIFO = 1;

    private final Virsh virsh;
    private final Path file;
    private final Path proc;
    private final RtCgroup cgroups;
    private final RestoreRecord record;
    private final Consumer<String> warnings;

    private ThreadTuning(Virsh virsh, Path file, Path proc, RtCgroup cgroups, RestoreRecord record, Consumer<String> warnings) {
        this.virsh = virsh;
        this.cgroups = cgroups;
        this.file = file;
        this.proc = proc;
        this.record = record;
        this.warnings = warnings;
    }

    /**
     * Records what is in force, then applies a scenario's settings.
     *
     * @param threads the domain's threads on this machine; null for a remote libvirt (pinning only)
     */
    static ThreadTuning apply(LibvirtSettings s, Virsh virsh, DomainThreads threads, RtCgroup cgroups, Path file, Path proc,
                              Consumer<String> warnings)
            throws IOException {
        Map<Integer, List<Integer>> pins = s.vcpuPin().isEmpty() ? Map.of() : virsh.vcpuPins();
        List<Integer> emulatorPin = s.emulatorPin().isEmpty() ? List.of() : virsh.emulatorPin();
        Map<Integer, OfThread> before = new TreeMap<>();
        List<Integer> realtime = new ArrayList<>();
        if (threads != null) {
            if (s.vcpuScheduler() != null) for (int tid : threads.vcpus().values()) before.put(tid, ThreadScheduling.of(tid));
            if (s.vcpuScheduler() != null && s.vcpuScheduler().realtime()) realtime.addAll(threads.vcpus().values());
            if (s.emulatorPriority() > 0) for (int tid : threads.emulator()) before.put(tid, ThreadScheduling.of(tid));
            if (s.emulatorPriority() > 0) realtime.addAll(threads.emulator());
        }
        Map<Integer, String> groups = new TreeMap<>();
        for (int tid : realtime) cgroups.group(tid).filter(cgroups::blocksRealtime).ifPresent(g -> groups.put(tid, g));
        RestoreRecord r = new RestoreRecord(virsh.uri(), virsh.domain(), threads == null ? null : threads.qemu(), pins, emulatorPin, before,
                groups);
        ThreadTuning t = new ThreadTuning(virsh, file, proc, cgroups, r, warnings);
        if (r.empty()) return t;
        r.write(file);
        try {
            int n = s.vcpuPin().size();
            for (int vcpu : pins.keySet()) virsh.pinVcpu(vcpu, List.of(s.vcpuPin().get(vcpu % n)));
            if (!emulatorPin.isEmpty()) virsh.pinEmulator(s.emulatorPin());
            for (int tid : groups.keySet()) cgroups.move(tid, "/");
            if (threads != null && s.vcpuScheduler() != null) {
                for (int tid : threads.vcpus().values()) ThreadScheduling.setFor(tid, s.vcpuScheduler().kernelPolicy, s.vcpuPriority());
            }
            if (threads != null && s.emulatorPriority() > 0) {
                for (int tid : threads.emulator()) ThreadScheduling.setFor(tid, SCHED_FIFO, s.emulatorPriority());
            }
        } catch (OsCallException e) {
            t.close();
            throw new LibvirtException("cannot set the QEMU threads' scheduling of domain " + virsh.domain() + ": " + e.getMessage()
                    + " (vmlat sets it through the thread ids: run vmlat as root)", e);
        } catch (IOException e) {
            t.close();
            throw new LibvirtException("cannot move the QEMU threads of domain " + virsh.domain() + " out of their cgroup, whose"
                    + " cpu.rt_runtime_us is 0 (real-time group scheduling): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** Puts back what the record says; the record goes once everything is back (or nothing is left to restore). */
    @Override
    public void close() {
        if (record.empty()) return;
        List<String> problems = restore(record, virsh, proc, cgroups);
        if (problems.isEmpty()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                warnings.accept("could not remove " + file + ": " + e.getMessage());
            }
        } else {
            warnings.accept("domain " + record.domain() + ": could not restore " + String.join("; ", problems)
                    + " (kept in " + file + "; the next vmlat with a target on this domain tries again)");
        }
    }

    /**
     * Applies a record left by a vmlat that did not end its scenario (killed, crashed), if there
     * is one, and removes it once everything is back.
     *
     * @return what was restored, for the user ("" when nothing was pending)
     */
    static String restorePending(Path file, Virsh virsh, Path proc, RtCgroup cgroups) throws IOException {
        RestoreRecord r = RestoreRecord.read(file).orElse(null);
        if (r == null) return "";
        List<String> problems = restore(r, virsh, proc, cgroups);
        if (!problems.isEmpty()) {
            throw new LibvirtException("domain " + r.domain() + " still has settings of an unfinished vmlat scenario that could not be restored: "
                    + String.join("; ", problems) + " (record " + file + ")");
        }
        Files.deleteIfExists(file);
        return "restored the thread settings an unfinished scenario left on domain " + r.domain() + " (" + summary(r) + ")";
    }

    private static String summary(RestoreRecord r) {
        List<String> s = new ArrayList<>();
        if (!r.vcpuPins().isEmpty()) s.add("vCPU pinning");
        if (!r.emulatorPin().isEmpty()) s.add("emulator pinning");
        if (!r.threads().isEmpty()) s.add(r.threads().size() + " threads' scheduling");
        if (!r.cgroups().isEmpty()) s.add(r.cgroups().size() + " threads' cpu cgroup");
        return String.join(", ", s);
    }

    /** What could not be put back (empty when all is back, or the domain's QEMU is gone and with it what was changed). */
    static List<String> restore(RestoreRecord r, Virsh virsh, Path proc, RtCgroup cgroups) {
        List<String> problems = new ArrayList<>();
        String state;
        try {
            state = virsh.state();
        } catch (LibvirtException e) {
            if (e.getMessage().contains("ailed to get domain") || e.getMessage().contains("not found")) return problems; // gone
            problems.add("libvirt is not reachable: " + e.getMessage());
            return problems;
        }
        if (!state.equals("running") && !state.equals("paused")) return problems; // its QEMU ended: live settings ended with it
        if (r.qemu() != null && !r.qemu().isAlive()) return problems; // restarted since: a new QEMU with libvirt's own settings
        r.vcpuPins().forEach((v, cpus) -> {
            try {
                virsh.pinVcpu(v, cpus);
            } catch (LibvirtException e) {
                problems.add("vCPU " + v + " pinning: " + e.getMessage());
            }
        });
        if (!r.emulatorPin().isEmpty()) {
            try {
                virsh.pinEmulator(r.emulatorPin());
            } catch (LibvirtException e) {
                problems.add("emulator pinning: " + e.getMessage());
            }
        }
        if (r.threads().isEmpty() && r.cgroups().isEmpty()) return problems;
        long pid = r.qemu().pid();
        r.threads().forEach((tid, o) -> {
            if (!Files.exists(proc.resolve(pid + "/task/" + tid))) return; // the thread ended
            try {
                ThreadScheduling.setFor(tid, o.policy(), o.priority());
            } catch (OsCallException e) {
                problems.add("thread " + tid + ": " + e.getMessage());
            }
        });
        // threads QEMU started during the scenario inherited the emulator's priority: they get the main thread's back
        OfThread main = r.threads().get((int) pid);
        if (main != null) {
            for (int tid : DomainThreads.tasks(proc, (int) pid)) {
                if (r.threads().containsKey(tid)) continue;
                try {
                    OfThread now = ThreadScheduling.of(tid);
                    if (now.policy() == SCHED_FIFO && main.policy() != SCHED_FIFO) ThreadScheduling.setFor(tid, main.policy(), main.priority());
                } catch (OsCallException e) {
                    // a vCPU thread keeps what its own record says; a thread that ended needs nothing
                }
            }
        }
        // back into libvirt's groups once no longer real-time (a group without runtime refuses a FIFO thread)
        r.cgroups().forEach((tid, group) -> {
            if (!Files.exists(proc.resolve(pid + "/task/" + tid))) return;
            try {
                cgroups.move(tid, group);
            } catch (IOException e) {
                problems.add("thread " + tid + " back into cgroup " + group + ": " + e.getMessage());
            }
        });
        return problems;
    }

    /** The scheduling of every thread of the domain now, one line per thread, for the scenario's facts. */
    static String inForce(DomainThreads threads) {
        Map<Integer, String> roles = threads.roles();
        Map<String, List<String>> lines = new LinkedHashMap<>();
        StringBuilder s = new StringBuilder();
        roles.forEach((tid, role) -> {
            try {
                OfThread o = ThreadScheduling.of(tid);
                lines.computeIfAbsent(role, k -> new ArrayList<>()).add(role + " tid=" + tid + " policy=" + VcpuScheduler.nameOf(o.policy())
                        + " priority=" + o.priority() + " cpus=" + CpuList.format(o.cpus()));
            } catch (OsCallException e) {
                // the thread ended meanwhile
            }
        });
        lines.values().forEach(l -> l.forEach(x -> s.append(x).append('\n')));
        return s.toString();
    }
}
