package org.vmlat.targets.libvirt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.vmlat.os.CpuList;
import org.vmlat.os.ProcessIdentity;
import org.vmlat.os.ThreadScheduling.OfThread;

/**
 * What vmlat must put back on a domain after a scenario changed its threads, written to the state
 * folder before anything changes and removed once restored, so that a vmlat killed mid-scenario
 * leaves the next vmlat what to undo. One file per domain; a text format, one setting per line:
 *
 * <pre>
 * vmlat-libvirt-restore 1
 * uri qemu:///system
 * domain NAME
 * qemu PID-START              (the QEMU process the thread lines belong to; "-" when remote)
 * vcpupin VCPU CPULIST        (libvirt's live pinning of a vCPU before; one line per vCPU changed)
 * emulatorpin CPULIST         (libvirt's live emulator pinning before, when changed)
 * thread TID POLICY PRIORITY CPULIST   (a thread's scheduling before, when vmlat sets it by thread id)
 * cgroup TID GROUP            (a thread's group in the cpu controller before vmlat moved it to the root group)
 * </pre>
 */
public record RestoreRecord(String uri, String domain, ProcessIdentity qemu, Map<Integer, List<Integer>> vcpuPins,
                            List<Integer> emulatorPin, Map<Integer, OfThread> threads, Map<Integer, String> cgroups) {
    static final String HEADER = "vmlat-libvirt-restore 1";

    public RestoreRecord {
        if (uri == null || uri.isBlank() || uri.contains("\n")) throw new IllegalArgumentException("uri: one non-empty line, got \"" + uri + "\"");
        if (domain == null || domain.isBlank() || domain.contains("\n")) throw new IllegalArgumentException("domain: one non-empty line, got \"" + domain + "\"");
        vcpuPins = Collections.unmodifiableMap(new TreeMap<>(vcpuPins)); // sorted: the file lists them in order
        emulatorPin = List.copyOf(emulatorPin);
        threads = Collections.unmodifiableMap(new TreeMap<>(threads));
        cgroups = Collections.unmodifiableMap(new TreeMap<>(cgroups));
        for (String g : cgroups.values()) {
            if (!g.startsWith("/") || g.contains(" ") || g.contains("\n") || g.contains("..")) {
                throw new IllegalArgumentException("cgroups: expected an absolute group path without spaces or \"..\", got \"" + g + "\"");
            }
        }
        if ((!threads.isEmpty() || !cgroups.isEmpty()) && qemu == null) throw new IllegalArgumentException("qemu: thread settings need the process they belong to");
    }

    public boolean empty() {
        return vcpuPins.isEmpty() && emulatorPin.isEmpty() && threads.isEmpty() && cgroups.isEmpty();
    }

    /** The record's file for a domain in the state folder. */
    public static Path file(Path dir, String uri, String domain) {
        return dir.resolve((uri + "--" + domain).replaceAll("[^A-Za-z0-9._-]+", "_") + ".restore");
    }

    public String text() {
        StringBuilder s = new StringBuilder(HEADER).append('\n');
        s.append("uri ").append(uri).append('\n').append("domain ").append(domain).append('\n');
        s.append("qemu ").append(qemu == null ? "-" : qemu.toString()).append('\n');
        vcpuPins.forEach((v, c) -> s.append("vcpupin ").append(v).append(' ').append(CpuList.format(c)).append('\n'));
        if (!emulatorPin.isEmpty()) s.append("emulatorpin ").append(CpuList.format(emulatorPin)).append('\n');
        threads.forEach((t, o) -> s.append("thread ").append(t).append(' ').append(o.policy()).append(' ').append(o.priority())
                .append(' ').append(CpuList.format(o.cpus())).append('\n'));
        cgroups.forEach((t, g) -> s.append("cgroup ").append(t).append(' ').append(g).append('\n'));
        return s.toString();
    }

    /** Parses a record; names the file, line and problem when it is not one. */
    public static RestoreRecord parse(String where, String text) {
        String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].equals(HEADER)) throw new IllegalArgumentException(where + ":1: expected \"" + HEADER + "\"");
        String uri = null, domain = null;
        ProcessIdentity qemu = null;
        Map<Integer, List<Integer>> pins = new TreeMap<>();
        List<Integer> emulator = new ArrayList<>();
        Map<Integer, OfThread> threads = new TreeMap<>();
        Map<Integer, String> cgroups = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(" ");
            try {
                switch (f[0]) {
                    case "uri" -> uri = lines[i].substring(4);
                    case "domain" -> domain = lines[i].substring(7);
                    case "qemu" -> qemu = f[1].equals("-") ? null : ProcessIdentity.parse(f[1])
                            .orElseThrow(() -> new IllegalArgumentException("expected PID-START, got \"" + f[1] + "\""));
                    case "vcpupin" -> pins.put(Integer.parseInt(f[1]), CpuList.parse(f[2]));
                    case "emulatorpin" -> emulator = CpuList.parse(f[1]);
                    case "thread" -> threads.put(Integer.parseInt(f[1]),
                            new OfThread(Integer.parseInt(f[2]), Integer.parseInt(f[3]), CpuList.parse(f[4])));
                    case "cgroup" -> cgroups.put(Integer.parseInt(f[1]), f[2]);
                    default -> throw new IllegalArgumentException("unknown setting \"" + f[0] + "\"");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(where + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        try {
            return new RestoreRecord(uri, domain, qemu, pins, emulator, threads, cgroups);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    /** Writes the record whole or not at all (a crash while writing leaves the previous file). */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(tmp, text(), StandardCharsets.UTF_8);
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static Optional<RestoreRecord> read(Path file) throws IOException {
        if (!Files.exists(file)) return Optional.empty();
        return Optional.of(parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
    }
}
