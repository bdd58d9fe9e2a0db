package org.vmlat.targets.libvirt;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vmlat.os.ProcessIdentity;

/**
 * A running domain's QEMU process on this machine and its threads by role: the vCPU threads (by
 * vCPU index, from QMP's query-cpus-fast), the I/O threads of its {@code <iothreads>}, and the
 * emulator threads, which are all the others (libvirt's emulatorpin applies to the same set).
 *
 * @param qemu the QEMU process, named with its start time so that a restarted domain is not mistaken for it
 */
public record DomainThreads(ProcessIdentity qemu, Map<Integer, Integer> vcpus, List<Integer> ioThreads, List<Integer> emulator) {
    public DomainThreads {
        vcpus = Collections.unmodifiableMap(new TreeMap<>(vcpus)); // by vCPU index
        ioThreads = List.copyOf(ioThreads);
        emulator = List.copyOf(emulator);
        if (vcpus.isEmpty()) throw new IllegalArgumentException("vcpus: a domain has at least one vCPU thread");
    }

    /** Finds the threads of the domain libvirt runs here; the QEMU process is the one the vCPU threads belong to. */
    public static DomainThreads read(Virsh virsh, Path proc) {
        Map<Integer, Integer> vcpus = virsh.vcpuThreads();
        List<Integer> io;
        try {
            io = virsh.ioThreads();
        } catch (LibvirtException e) {
            io = List.of(); // a QEMU without query-iothreads has none
        }
        int pid = tgid(proc, vcpus.values().iterator().next());
        ProcessIdentity qemu = ProcessIdentity.of(pid)
                .orElseThrow(() -> new LibvirtException("QEMU process " + pid + " of domain " + virsh.domain() + " is gone"));
        return of(qemu, vcpus, io, tasks(proc, pid));
    }

    /** Sorts a process's tasks into the three roles. */
    static DomainThreads of(ProcessIdentity qemu, Map<Integer, Integer> vcpus, List<Integer> io, List<Integer> tasks) {
        List<Integer> emulator = new ArrayList<>();
        for (int t : tasks) if (!vcpus.containsValue(t) && !io.contains(t)) emulator.add(t);
        return new DomainThreads(qemu, vcpus, io, emulator);
    }

    /** The process a thread belongs to: "Tgid:" of /proc/TID/status. */
    static int tgid(Path proc, int tid) {
        try {
            for (String line : Files.readAllLines(proc.resolve(tid + "/status"))) {
                if (line.startsWith("Tgid:")) return Integer.parseInt(line.substring(5).strip());
            }
        } catch (IOException e) {
            throw new LibvirtException("vCPU thread " + tid + " is not on this machine (" + e.getMessage() + ")", e);
        }
        throw new LibvirtException(proc.resolve(tid + "/status") + " has no Tgid line");
    }

    static List<Integer> tasks(Path proc, int pid) {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc.resolve(pid + "/task"))) {
            for (Path t : ds) out.add(Integer.parseInt(t.getFileName().toString()));
        } catch (IOException e) {
            throw new LibvirtException("cannot list the threads of QEMU process " + pid + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    /** Every thread with its role as the record names it: vcpu0, vcpu1, iothread, emulator. */
    public Map<Integer, String> roles() {
        Map<Integer, String> out = new TreeMap<>();
        vcpus.forEach((v, t) -> out.put(t, "vcpu" + v));
        for (int t : ioThreads) out.put(t, "iothread");
        for (int t : emulator) out.put(t, "emulator");
        return out;
    }
}
