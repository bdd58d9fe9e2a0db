package org.vmlat.targets.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.vmlat.os.PrivateFolder;
import org.vmlat.os.SystemFacts;
import org.vmlat.os.SystemFactsReader;
import org.vmlat.os.check.Capabilities;

/**
 * Reads a remote machine's {@link SystemFacts} with the one {@link SystemFactsReader}: a single
 * remote command prints the /proc and /sys files the reader looks at, each after a marker line;
 * they are written into a temporary tree here with the same relative paths, and the reader reads
 * that tree as it reads a fixture. The kernel configuration from /proc/config.gz arrives
 * uncompressed as boot/config-RELEASE, where the reader looks next. Also what doctor tries live
 * ({@link Capabilities}), tried there.
 */
public final class RemoteFacts {
    static final String FILE = "@@vmlat-file ";
    static final String DIR = "@@vmlat-dir ";
    /** The tools doctor looks for, as on this machine. */
    public static final List<String> TOOLS = List.of("cyclictest", "hackbench", "stress-ng", "qemu-system-x86_64");

    private static final String CPU = "/sys/devices/system/cpu";
    static final String SCRIPT = "for f in /proc/sys/kernel/osrelease /proc/sys/kernel/version /sys/kernel/realtime /proc/cmdline /proc/cpuinfo"
            + " /sys/kernel/debug/sched/preempt /sys/devices/system/clocksource/clocksource0/current_clocksource"
            + " /sys/devices/system/clocksource/clocksource0/available_clocksource /proc/sys/kernel/sched_rt_runtime_us /proc/sys/kernel/sched_rt_period_us"
            + " " + CPU + "/online " + CPU + "/isolated " + CPU + "/nohz_full " + CPU + "/cpuidle/current_driver"
            + " " + CPU + "/cpu[0-9]*/cpufreq/scaling_governor " + CPU + "/cpu[0-9]*/cpuidle/state[0-9]*/name"
            + " " + CPU + "/cpu[0-9]*/cpuidle/state[0-9]*/latency " + CPU + "/cpu[0-9]*/cpuidle/state[0-9]*/disable"
            + " /sys/class/dmi/id/sys_vendor /sys/class/dmi/id/product_name /sys/hypervisor/type /sys/hypervisor/guest_type"
            + " /boot/config-$(uname -r); do\n"
            + "  [ -f \"$f\" ] && [ -r \"$f\" ] && { echo \"" + FILE + "$f\"; cat \"$f\" 2>/dev/null; echo; }\n"
            + "done\n"
            + "for d in /sys/module/kvm_pvm /sys/module/kvm_intel /sys/module/kvm_amd " + CPU + "/cpu[0-9]*/cpuidle; do [ -d \"$d\" ] && echo \"" + DIR + "$d\"; done\n"
            + "[ -e /dev/kvm ] && echo \"" + FILE + "/dev/kvm\"\n"
            + "[ -r /proc/config.gz ] && { echo \"" + FILE + "/boot/config-$(uname -r)\"; zcat /proc/config.gz 2>/dev/null; echo; }\n"
            + "true\n";

    private static final String CAPABILITIES = "if out=$(chrt -f 1 true 2>&1); then echo fifo-ok; else echo \"fifo-refused ${out:-chrt failed}\"; fi\n"
            + "if [ \"$(id -u)\" = 0 ] || [ \"$(ulimit -l)\" = unlimited ]; then echo mlock-ok;"
            + " else echo \"mlock-refused locked-memory limit $(ulimit -l) KiB for user $(id -un)\"; fi\n"
            + "for t in " + String.join(" ", TOOLS) + "; do echo \"tool $t $(command -v $t)\"; done\n"
            + "[ -e /dev/kvm ] && { [ -r /dev/kvm ] && [ -w /dev/kvm ] || echo kvm-denied; }\n"
            + "true\n";

    private RemoteFacts() {}

    /** The remote machine's facts. */
    public static SystemFacts read(SshSession ssh) {
        String out = ssh.check(SCRIPT, 60_000);
        Path root;
        try {
            root = PrivateFolder.createTempDirectory("remote-facts-"); // not loose in /tmp should vmlat be killed here
        } catch (IOException e) {
            throw new SshException("cannot create a temporary directory for the facts of " + ssh.settings().where() + ": " + e.getMessage());
        }
        try {
            unpack(out, root);
            return new SystemFactsReader(root).read();
        } catch (IOException e) {
            throw new SshException("cannot keep the facts of " + ssh.settings().where() + ": " + e.getMessage());
        } finally {
            delete(root);
        }
    }

    /** Writes the files of the script's output below {@code root}, each at its path without the leading slash. */
    static void unpack(String out, Path root) throws IOException {
        Path current = null;
        StringBuilder text = new StringBuilder();
        for (String line : out.split("\n", -1)) {
            if (line.startsWith(FILE) || line.startsWith(DIR)) {
                if (current != null) write(current, text);
                text.setLength(0);
                Path p = under(root, line.substring(line.startsWith(FILE) ? FILE.length() : DIR.length()));
                if (line.startsWith(DIR)) {
                    Files.createDirectories(p);
                    current = null;
                } else {
                    current = p;
                }
            } else if (current != null) {
                text.append(line).append('\n');
            }
        }
        if (current != null) write(current, text);
    }

    private static Path under(Path root, String remotePath) {
        Path p = root.resolve(remotePath.replaceFirst("^/+", "")).normalize();
        if (!p.startsWith(root)) throw new SshException("a remote path outside the facts tree: " + remotePath);
        return p;
    }

    private static void write(Path p, StringBuilder text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text.toString());
    }

    /** What doctor tries live, tried on the remote machine: SCHED_FIFO (chrt), mlockall's limit, the tools, /dev/kvm's permissions. */
    public static Capabilities capabilities(SshSession ssh) {
        String out = ssh.check(CAPABILITIES, 60_000);
        Optional<String> fifo = Optional.empty(), mlock = Optional.empty(), kvm = Optional.empty();
        Map<String, Optional<String>> tools = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("fifo-refused ")) fifo = Optional.of(line.substring(13).strip());
            else if (line.startsWith("mlock-refused ")) mlock = Optional.of(line.substring(14).strip());
            else if (line.equals("kvm-denied")) kvm = Optional.of("permission denied");
            else if (line.startsWith("tool ")) {
                String[] w = line.split(" ", 3);
                tools.put(w[1], w.length > 2 && !w[2].isBlank() ? Optional.of(w[2].strip()) : Optional.empty());
            }
        }
        return new Capabilities(fifo, mlock, tools, kvm);
    }

    private static void delete(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(q);
        } catch (IOException e) {
            // a temporary tree left behind
        }
    }
}
