package org.vmlat.targets.reservation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vmlat.os.ProcessIdentity;

/**
 * QEMU processes running on this machine, found by QEMU pid or by guest name: the {@code -name}
 * value ({@code NAME,...} or {@code guest=NAME,...}; vmlat's guests are {@code vmlat-guest-TARGET}).
 * Their vCPU threads are the ones QEMU names "CPU N/KVM" or "CPU N/TCG", which it does with
 * {@code -name ...,debug-threads=on}.
 */
public final class RunningQemus {
    /** A running QEMU: its identity, its guest name ("" when it has none) and its vCPU thread ids in vCPU order. */
    public record Found(ProcessIdentity qemu, String name, List<Integer> vcpus) {}

    private final Path proc;

    public RunningQemus(Path proc) {
        this.proc = proc;
    }

    /**
     * The QEMU a user means by {@code target}: a pid, a guest name, or a vmlat target name.
     *
     * @throws ReservationException none or several match, or its vCPU threads cannot be told apart
     */
    public Found find(String target) {
        List<Long> matches = new ArrayList<>();
        if (target.matches("\\d+")) {
            matches.add(Long.parseLong(target));
        } else {
            try (DirectoryStream<Path> ps = Files.newDirectoryStream(proc, "[0-9]*")) {
                for (Path p : ps) {
                    String n = guestName(cmdline(p));
                    if (n != null && (n.equals(target) || n.equals("vmlat-guest-" + target))) matches.add(Long.parseLong(p.getFileName().toString()));
                }
            } catch (IOException e) {
                throw new ReservationException("cannot list " + proc + ": " + e.getMessage(), e);
            }
        }
        if (matches.isEmpty()) throw new ReservationException("no running QEMU has the guest name \"" + target + "\" (-name) on this machine");
        if (matches.size() > 1) throw new ReservationException("several QEMU processes have the guest name \"" + target + "\": " + matches + "; give the pid");
        long pid = matches.get(0);
        List<String> argv = cmdline(proc.resolve(Long.toString(pid)));
        if (argv.isEmpty() || !Path.of(argv.get(0)).getFileName().toString().startsWith("qemu-system")) {
            throw new ReservationException("process " + pid + " is not a running QEMU (qemu-system-*)");
        }
        ProcessIdentity id = ProcessIdentity.of(pid).orElseThrow(() -> new ReservationException("QEMU " + pid + " ended"));
        List<int[]> vcpus = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve(pid + "/task"))) {
            for (Path t : tasks) {
                String comm = Files.readString(t.resolve("comm")).strip();
                if (comm.matches("CPU \\d+/(KVM|TCG|HVF|WHPX)")) {
                    vcpus.add(new int[] {Integer.parseInt(comm.substring(4, comm.indexOf('/'))), Integer.parseInt(t.getFileName().toString())});
                }
            }
        } catch (IOException e) {
            throw new ReservationException("cannot read the threads of QEMU " + pid + ": " + e.getMessage(), e);
        }
        if (vcpus.isEmpty()) {
            throw new ReservationException("QEMU " + pid + " does not name its vCPU threads: start it with -name NAME,debug-threads=on");
        }
        vcpus.sort((a, b) -> Integer.compare(a[0], b[0]));
        String n = guestName(argv);
        return new Found(id, n == null ? "" : n, vcpus.stream().map(v -> v[1]).toList());
    }

    /** The guest name in a QEMU command line's -name option, or null. */
    static String guestName(List<String> argv) {
        for (int i = 0; i + 1 < argv.size(); i++) {
            if (!argv.get(i).equals("-name")) continue;
            for (String part : argv.get(i + 1).split(",")) {
                if (part.startsWith("guest=")) return part.substring(6);
                if (!part.contains("=")) return part;
            }
        }
        return null;
    }

    private static List<String> cmdline(Path p) {
        try {
            String c = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
            return c.isEmpty() ? List.of() : List.of(c.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }
}
