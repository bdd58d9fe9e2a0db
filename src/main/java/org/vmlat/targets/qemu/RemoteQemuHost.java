package org.vmlat.targets.qemu;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.vmlat.load.LoadSpec;
import org.vmlat.os.command.CommandException;
import org.vmlat.os.command.RunningCommand;
import org.vmlat.probe.ProbeException;
import org.vmlat.targets.reservation.VcpuReservation;
import org.vmlat.targets.image.GuestImage;
import org.vmlat.targets.image.Sha256;
import org.vmlat.targets.ssh.SshException;
import org.vmlat.targets.ssh.SshMachine;
import org.vmlat.targets.ssh.SshSession;

/**
 * QEMU on a machine reached over SSH (an ssh target's machine, or the host of
 * {@code vmlat kvm up}). QEMU runs through the machine's command runner, so its process group
 * ends when vmlat closes it and also when the SSH channel ends; host loads are the machine's
 * loads. Guest images are copied once per content (sha256 checked) to /var/lib/vmlat/images
 * there (root) or ~/.cache/vmlat/images. QEMU names its threads ({@code -name
 * ...,debug-threads=on}): the vCPU threads ("CPU N/KVM") are found in /proc there and set with
 * chrt and taskset.
 */
final class RemoteQemuHost implements QemuHost {
    private static final long SSH_TIMEOUT_MS = 60_000;
    /** How long QEMU may take there to start its vCPU threads (an emulated host is slow). */
    static final int THREADS_WAIT_S = 60;
    private static final Pattern VCPU = Pattern.compile("CPU (\\d+)/\\w+");

    private final SshMachine machine;
    private final Map<String, ImageFiles> installed = new HashMap<>();

    RemoteQemuHost(SshMachine machine) {
        this.machine = machine;
    }

    /** The machine, for what records there beside QEMU ({@link RemoteHostTrace}). */
    SshMachine machine() {
        return machine;
    }

    private SshSession ssh() {
        return machine.ssh();
    }

    @Override
    public String where() {
        return machine.where();
    }

    @Override
    public void connect(Consumer<String> info) {
        machine.connect(info);
    }

    @Override
    public String emulated() {
        return machine.emulated();
    }

    @Override
    public Map<String, String> facts() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("qemu.host", where());
        f.put("qemu.host_kernel", machine.facts().kernelRelease());
        f.put("qemu.host_emulated", emulated().isEmpty() ? "no" : emulated());
        return f;
    }

    @Override
    public synchronized ImageFiles install(GuestImage image, Consumer<String> progress) {
        ImageFiles done = installed.get(image.kernelPackage() + image.initrd());
        if (done != null) return done;
        String base = ssh().check("if [ \"$(id -u)\" = 0 ]; then echo /var/lib/vmlat/images; else echo \"${XDG_CACHE_HOME:-$HOME/.cache}/vmlat/images\"; fi",
                SSH_TIMEOUT_MS).strip();
        String dir = base + "/" + image.kernelPackage().replaceAll("[^A-Za-z0-9._-]", "_");
        ImageFiles remote = new ImageFiles(dir + "/vmlinux", dir + "/initrd.gz");
        String sums = ssh().run("sha256sum " + SshSession.quote(remote.kernel()) + " " + SshSession.quote(remote.initrd()) + " 2>/dev/null",
                null, 120_000).out();
        for (var e : Map.of(remote.kernel(), image.kernel(), remote.initrd(), image.initrd()).entrySet()) {
            if (sums.contains(Sha256.of(e.getValue()) + "  " + e.getKey())) continue;
            progress.accept("copying " + e.getValue().getFileName() + " of " + image.kernelPackage() + " to " + where());
            upload(e.getValue(), e.getKey());
        }
        installed.put(image.kernelPackage() + image.initrd(), remote);
        return remote;
    }

    /**
     * Copies a file there compressed (gzip -1 here, gunzip there), through a part file: the
     * uncompressed kernel is 65 MB, and a host under emulation moves SSH's bytes slowly.
     */
    private void upload(Path local, String remote) {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz, 1 << 16) { { def.setLevel(Deflater.BEST_SPEED); } }) {
            Files.copy(local, out);
        } catch (IOException e) {
            throw new ProbeException("cannot read " + local + ": " + e.getMessage(), e);
        }
        String dir = remote.substring(0, remote.lastIndexOf('/'));
        String part = SshSession.quote(remote + ".part");
        SshSession.Result r = ssh().run("mkdir -p " + SshSession.quote(dir) + " && gunzip -c > " + part + " && mv " + part + " " + SshSession.quote(remote),
                gz.toByteArray(), 900_000);
        if (!r.ok()) throw new ProbeException("copying " + local + " to " + where() + ":" + remote + " failed: " + r.err().strip());
    }

    /**
     * No /dev/kvm there: tcg. Else a test boot, its answer kept in the machine's run directory
     * under its boot id (a reboot, or a tmpfs /run, forgets it).
     */
    @Override
    public String decideAccel(GuestImage image, AccelCheck.CommandBuilder localCheck, BooleanSupplier testBoot) {
        String cache = machine.runDir() + "/accel-$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)";
        String known = ssh().run("test -c /dev/kvm || { echo tcg; exit; }; cat " + cache + " 2>/dev/null", null, SSH_TIMEOUT_MS).out().strip();
        if (known.equals("kvm") || known.equals("tcg")) return known;
        String answer = testBoot.getAsBoolean() ? "kvm" : "tcg";
        ssh().run("mkdir -p " + SshSession.quote(machine.runDir()) + " && echo " + answer + " > " + cache, null, SSH_TIMEOUT_MS);
        return answer;
    }

    @Override
    public String newDirectory(String prefix) {
        return ssh().check("mktemp -d \"${TMPDIR:-/tmp}/vmlat-\"" + SshSession.quote(prefix + "XXXXXXXX"), SSH_TIMEOUT_MS).strip();
    }

    @Override
    public void removeDirectory(String dir) {
        try {
            ssh().run("rm -rf " + SshSession.quote(dir), null, SSH_TIMEOUT_MS);
        } catch (SshException e) {
            // temporary files in the machine's /tmp: nothing runs from them any more
        }
    }

    @Override
    public RunningQemu start(String target, List<String> argv) {
        Deque<String> last = new ArrayDeque<>();
        RunningCommand c;
        try {
            c = machine.runner().start(argv, (channel, line) -> {
                synchronized (last) {
                    last.addLast(line);
                    if (last.size() > 10) last.removeFirst();
                }
            });
        } catch (CommandException e) {
            throw new ProbeException(target + ": cannot start QEMU on " + where() + ": " + e.getMessage(), e);
        }
        return new RunningQemu() {
            @Override
            public boolean alive() {
                try {
                    return !c.waitFor(0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }

            @Override
            public String failure() {
                String out;
                synchronized (last) {
                    out = String.join("|", last);
                }
                return "QEMU on " + where() + " ended" + (alive() ? "" : " (exit " + c.exitCode() + ")") + (out.isEmpty() ? "" : ": " + out);
            }

            @Override
            public void close() {
                c.close();
            }
        };
    }

    @Override
    public boolean contains(String file, String text) {
        return ssh().run("grep -qF " + SshSession.quote(text) + " " + SshSession.quote(file) + " 2>/dev/null", null, SSH_TIMEOUT_MS).ok();
    }

    @Override
    public String read(String file) {
        return ssh().run("cat " + SshSession.quote(file) + " 2>/dev/null", null, SSH_TIMEOUT_MS).out();
    }

    @Override
    public String tail(String file, int maxChars) {
        try {
            return ssh().run("tail -c " + maxChars + " " + SshSession.quote(file) + " 2>/dev/null", null, SSH_TIMEOUT_MS).out().replace("\r", "");
        } catch (SshException e) {
            return "";
        }
    }

    /** Each look is a command over the connection: once a second. */
    /** The guest's channel socket is on the other machine: each scenario boots its own guest there. */
    @Override
    public boolean keepsGuests() {
        return false;
    }

    @Override
    public long pollMs() {
        return 1000;
    }

    @Override
    public void schedule(RunningQemu qemu, String dir, QemuSettings settings) {
        if (settings.pin().isEmpty() && settings.vcpuPriority() == 0 && settings.qemuPriority() == 0) return;
        String listing = ssh().run(threadsScript(dir, settings.vcpus()), null, (THREADS_WAIT_S + 30) * 1000L).out();
        String script = scheduleScript(listing, settings);
        if (script.isEmpty()) throw new ProbeException("QEMU's vCPU threads did not appear on " + where() + " within " + THREADS_WAIT_S + " s");
        SshSession.Result r = ssh().run(script, null, SSH_TIMEOUT_MS);
        if (!r.ok()) {
            throw new ProbeException("cannot set the QEMU threads' scheduling on " + where() + ": " + (r.err() + r.out()).strip().replace('\n', '|')
                    + " (chrt and taskset are needed there, as root or with CAP_SYS_NICE)");
        }
    }

    /** The plan reader refuses reservations for QEMU on another machine (QemuSettings.matrixProblem): one here is a bug. */
    @Override
    public Reserved reserve(RunningQemu qemu, String dir, VcpuReservation reservation) {
        if (reservation.isNone()) return Reserved.NOTHING;
        throw new ProbeException("reservations apply to guests on this machine only, not on " + where());
    }

    /**
     * Shell that waits for QEMU's pid file and its vCPU threads, then prints one line per thread:
     * "TID COMM".
     */
    static String threadsScript(String dir, int vcpus) {
        String pidFile = SshSession.quote(dir + "/qemu.pid");
        return "i=0; while [ $i -lt " + THREADS_WAIT_S * 5 + " ]; do p=$(cat " + pidFile + " 2>/dev/null);"
                + " if [ -n \"$p\" ] && [ $(cat /proc/$p/task/*/comm 2>/dev/null | grep -c '^CPU [0-9]*/') -ge " + vcpus + " ]; then break; fi;"
                + " sleep 0.2; i=$((i+1)); done;"
                + " for t in /proc/$p/task/*; do echo \"${t##*/} $(cat $t/comm 2>/dev/null)\"; done";
    }

    /**
     * The chrt and taskset commands for the threads of a listing ("TID COMM" lines): vCPU
     * threads ("CPU N/KVM", "CPU N/TCG") pinned round-robin by their index and set to the vCPU
     * priority, the others to QEMU's. "" when the listing shows no vCPU thread.
     */
    static String scheduleScript(String listing, QemuSettings settings) {
        List<String> cmds = new ArrayList<>();
        boolean vcpuSeen = false;
        for (String line : listing.split("\n")) {
            String[] w = line.strip().split(" ", 2);
            if (w.length < 2 || !w[0].matches("\\d+")) continue;
            String tid = w[0];
            Matcher m = VCPU.matcher(w[1].strip());
            if (m.matches()) {
                vcpuSeen = true;
                int index = Integer.parseInt(m.group(1));
                if (!settings.pin().isEmpty()) cmds.add("taskset -p -c " + settings.pin().get(index % settings.pin().size()) + " " + tid + " >/dev/null");
                int prio = settings.vcpuPriority() > 0 ? settings.vcpuPriority() : settings.qemuPriority();
                if (prio > 0) cmds.add("chrt -f -p " + prio + " " + tid);
            } else if (settings.qemuPriority() > 0) {
                cmds.add("chrt -f -p " + settings.qemuPriority() + " " + tid);
            }
        }
        return vcpuSeen ? String.join(" && ", cmds) + (cmds.isEmpty() ? "true" : "") : "";
    }

    @Override
    public List<String> loadCommand(LoadSpec load) {
        return machine.loadCommand(load);
    }

    @Override
    public HostLoad startLoad(LoadSpec load) {
        SshMachine.RemoteLoad rl;
        try {
            rl = machine.startLoad(load);
        } catch (SshException | CommandException e) {
            throw new ProbeException("cannot start load \"" + load.name() + "\" on " + where() + ": " + e.getMessage(), e);
        }
        return new HostLoad() {
            @Override
            public String failure() {
                try {
                    return machine.loadFailure(rl);
                } catch (SshException e) {
                    return "cannot look at the load on " + where() + ": " + e.getMessage();
                }
            }

            @Override
            public void close() {
                machine.stopLoad(rl);
            }
        };
    }
}
