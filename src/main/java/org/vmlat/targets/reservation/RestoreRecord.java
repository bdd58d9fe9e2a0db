package org.vmlat.targets.reservation;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.vmlat.os.DeadlineScheduling.Attributes;
import org.vmlat.os.ProcessIdentity;

/**
 * What a reservation changed on a QEMU's vCPU threads, written to the state folder before the
 * first change and removed once restored, so that the next vmlat undoes what a killed one left.
 * One file per QEMU process; a text format, one setting per line:
 *
 * <pre>
 * vmlat-reservation-restore 1
 * owner PID-START     (the vmlat that applied it; "-": vmlat design --apply, kept until --undo)
 * qemu PID-START      (the QEMU process the threads belong to)
 * reservation VALUE   (as the plan or the command wrote it)
 * thread TID POLICY FLAGS NICE PRIORITY RUNTIME DEADLINE PERIOD   (a thread's attributes before)
 * cgroup TID GROUP    (a thread's group in the cpu controller before)
 * created GROUP       (the cpu group vmlat made for the CFS bandwidth, removed on restore)
 * </pre>
 */
public record RestoreRecord(ProcessIdentity owner, ProcessIdentity qemu, String reservation, Map<Integer, Attributes> threads,
                            Map<Integer, String> cgroups, String created) {
    static final String HEADER = "vmlat-reservation-restore 1";

    public RestoreRecord {
        if (qemu == null) throw new IllegalArgumentException("qemu: missing");
        if (reservation == null || reservation.isBlank() || reservation.contains("\n")) throw new IllegalArgumentException("reservation: one non-empty line, got \"" + reservation + "\"");
        threads = Collections.unmodifiableMap(new TreeMap<>(threads));
        cgroups = Collections.unmodifiableMap(new TreeMap<>(cgroups));
        for (String g : cgroups.values()) checkGroup(g);
        if (created != null) checkGroup(created);
    }

    private static void checkGroup(String g) {
        if (!g.startsWith("/") || g.contains(" ") || g.contains("\n") || g.contains("..")) {
            throw new IllegalArgumentException("cgroup: expected an absolute group path without spaces or \"..\", got \"" + g + "\"");
        }
    }

    /** The record's file for a QEMU process. */
    public static Path file(Path dir, ProcessIdentity qemu) {
        return dir.resolve("qemu-" + qemu + ".restore");
    }

    public String text() {
        StringBuilder s = new StringBuilder(HEADER).append('\n');
        s.append("owner ").append(owner == null ? "-" : owner.toString()).append('\n');
        s.append("qemu ").append(qemu).append('\n');
        s.append("reservation ").append(reservation).append('\n');
        threads.forEach((t, a) -> s.append("thread ").append(t).append(' ').append(a.policy()).append(' ').append(a.flags()).append(' ')
                .append(a.nice()).append(' ').append(a.priority()).append(' ').append(a.runtimeNs()).append(' ').append(a.deadlineNs())
                .append(' ').append(a.periodNs()).append('\n'));
        cgroups.forEach((t, g) -> s.append("cgroup ").append(t).append(' ').append(g).append('\n'));
        if (created != null) s.append("created ").append(created).append('\n');
        return s.toString();
    }

    /** Parses a record; names the file, line and problem when it is not one. */
    public static RestoreRecord parse(String where, String text) {
        String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].equals(HEADER)) throw new IllegalArgumentException(where + ":1: expected \"" + HEADER + "\"");
        ProcessIdentity owner = null, qemu = null;
        String reservation = null, created = null;
        Map<Integer, Attributes> threads = new TreeMap<>();
        Map<Integer, String> cgroups = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(" ");
            try {
                switch (f[0]) {
                    case "owner" -> owner = f[1].equals("-") ? null : identity(f[1]);
                    case "qemu" -> qemu = identity(f[1]);
                    case "reservation" -> reservation = lines[i].substring("reservation ".length());
                    case "thread" -> {
                        if (f.length != 9) throw new IllegalArgumentException("thread: expected TID POLICY FLAGS NICE PRIORITY RUNTIME DEADLINE PERIOD");
                        threads.put(Integer.parseInt(f[1]), new Attributes(Integer.parseInt(f[2]), Long.parseLong(f[3]), Integer.parseInt(f[4]),
                                Integer.parseInt(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8])));
                    }
                    case "cgroup" -> cgroups.put(Integer.parseInt(f[1]), f[2]);
                    case "created" -> created = f[1];
                    default -> throw new IllegalArgumentException("unknown setting \"" + f[0] + "\"");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(where + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        try {
            return new RestoreRecord(owner, qemu, reservation, threads, cgroups, created);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static ProcessIdentity identity(String s) {
        return ProcessIdentity.parse(s).orElseThrow(() -> new IllegalArgumentException("expected PID-START, got \"" + s + "\""));
    }

    /** Writes the record whole or not at all (a crash while writing leaves the previous file). */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(tmp, text(), StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static Optional<RestoreRecord> read(Path file) throws IOException {
        if (!Files.exists(file)) return Optional.empty();
        return Optional.of(parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
    }
}
