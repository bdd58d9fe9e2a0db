package org.vmlat.targets.xen;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.targets.image.GuestImage;
import org.vmlat.targets.image.Sha256;
import org.vmlat.targets.ssh.SshException;
import org.vmlat.targets.ssh.SshSession;

/**
 * A Xen control domain reached over SSH: what {@code xl info} says of it, the guest images
 * installed there, and the names of everything vmlat starts in it. Every guest, load and cpupool
 * is named {@code vmlat-HOST-PID-N} after the vmlat process that made it: a guard in Dom0 ends them
 * when this process ends however it ends ({@link Dom0Guard}), and a later vmlat ends what a guard
 * could not, without touching other users' domains.
 */
public final class Dom0 implements AutoCloseable {
    /** Where guest images live in Dom0, one directory per image content. */
    public static final String IMAGE_DIR = "/var/lib/vmlat/images";
    /** Dom0 loads' pid files and logs, and the guests' configurations and consoles. */
    public static final String RUN_DIR = "/run/vmlat";
    /** The worker count of a preset load in Dom0: one per Dom0 vCPU. */
    public static final String NPROC = "$(nproc)";
    private static final Pattern OURS = Pattern.compile("vmlat-([A-Za-z0-9]+)-(\\d+)-\\d+");

    /** A guest image's files as installed in Dom0: the bzImage (which PV, PVH and HVM all boot) and the initramfs. */
    public record RemoteImage(String kernel, String initrd) {}

    private final SshSession ssh;
    private String emulated = "";
    private final String prefix;
    private final AtomicInteger seq = new AtomicInteger();
    private final Map<Path, RemoteImage> installed = new HashMap<>();
    private final DomUSlot slot = new DomUSlot();
    private Map<String, String> facts;
    private Dom0Guard guard;

    public Dom0(SshSession ssh) {
        this.ssh = ssh;
        this.prefix = "vmlat-" + shortHost() + "-" + ProcessHandle.current().pid() + "-";
    }

    public SshSession ssh() {
        return ssh;
    }

    /**
     * "" for a real Xen host, else how it is emulated: the Dom0 {@code vmlat xen up} boots says so
     * in /etc/vmlat-emulated, so its figures are marked however a plan reaches it.
     */
    public String emulated() {
        return emulated;
    }

    /** Connects, checks that this is a Dom0 with xl, and ends what killed vmlat processes left. */
    public synchronized Map<String, String> connect(Consumer<String> info) {
        if (facts != null) return facts;
        ssh.connect();
        SshSession.Result r = ssh.run("PATH=$PATH:/usr/sbin:/usr/lib/xen/bin; xl info && uname -r", null, 60_000);
        if (!r.ok()) {
            throw new SshException(ssh.settings().where() + " is not a usable Xen Dom0: xl info failed (exit " + r.exit() + "): "
                    + (r.err() + r.out()).strip() + " (install the Xen tools there and run as root)");
        }
        Map<String, String> xl = XlInfo.parse(r.out());
        Map<String, String> f = new LinkedHashMap<>(XlInfo.facts(xl));
        String[] lines = r.out().strip().split("\n");
        f.put(SettingsKeys.XEN_DOM0_KERNEL, lines[lines.length - 1].trim());
        f.put(SettingsKeys.XEN_DOM0, ssh.settings().where());
        emulated = ssh.run("cat /etc/vmlat-emulated 2>/dev/null", null, 60_000).out().strip();
        f.put("xen.emulated", emulated.isEmpty() ? "no" : emulated);
        reapLeftovers(info);
        StringBuilder why = new StringBuilder();
        guard = Dom0Guard.start(ssh, prefix, why);
        if (guard == null) {
            // not fatal: this vmlat still ends what it starts; only a SIGKILLed one leaves it to the next run
            info.accept("warning: the guard in Dom0 " + ssh.settings().where() + " did not start (" + why + "): if this vmlat is killed, its guests, "
                    + "loads and cpupools there run until the next vmlat connects");
        }
        facts = f;
        return f;
    }

    /** The guest kept between scenarios in this Dom0. */
    DomUSlot slot() {
        return slot;
    }

    /** A fresh name for a guest, load or pool of this vmlat process. */
    public String newName() {
        return prefix + seq.incrementAndGet();
    }

    /**
     * Installs a guest image in Dom0 unless the same content is there already (checked with
     * sha256sum), so a real Dom0 and the emulated one take the same path.
     */
    public synchronized RemoteImage install(GuestImage image, Consumer<String> progress) {
        RemoteImage done = installed.get(image.initrd());
        if (done != null) return done;
        Path bz = image.bzImage() != null ? image.bzImage() : image.kernel();
        String dir = IMAGE_DIR + "/" + image.kernelPackage().replaceAll("[^A-Za-z0-9._-]", "_");
        RemoteImage remote = new RemoteImage(dir + "/vmlinuz", dir + "/initrd.gz");
        Map<String, Path> files = new LinkedHashMap<>();
        files.put(remote.kernel(), bz);
        files.put(remote.initrd(), image.initrd());
        String sums = ssh.run("sha256sum " + SshSession.quote(remote.kernel()) + " " + SshSession.quote(remote.initrd()) + " 2>/dev/null", null, 120_000).out();
        for (var e : files.entrySet()) {
            String local = Sha256.of(e.getValue());
            if (sums.contains(local + "  " + e.getKey())) continue;
            progress.accept("copying " + e.getValue().getFileName() + " of " + image.kernelPackage() + " to Dom0 " + ssh.settings().where()
                    + " (" + fileSize(e.getValue()) / 1024 + " KiB)");
            ssh.upload(e.getValue(), e.getKey());
        }
        installed.put(image.initrd(), remote);
        return remote;
    }

    /**
     * Destroys the domains and cpupools and ends the loads of vmlat processes on this host that no longer run and
     * whose guard did not clean up (a host that rebooted, a connection that broke first): their names carry the host
     * and the pid.
     */
    void reapLeftovers(Consumer<String> info) {
        String host = shortHost();
        String list = ssh.run("PATH=$PATH:/usr/sbin; xl list 2>/dev/null | awk 'NR>1 {print $1}'; xl cpupool-list 2>/dev/null | awk 'NR>1 {print $1}'; ls "
                + RUN_DIR + "/loads 2>/dev/null", null, 60_000).out();
        Set<Long> dead = new TreeSet<>();
        for (String line : list.split("\n")) {
            Matcher m = OURS.matcher(line.trim().replaceFirst("\\.(pid|log)$", ""));
            if (!m.matches() || !m.group(1).equals(host)) continue;
            long pid = Long.parseLong(m.group(2));
            if (pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
            dead.add(pid);
        }
        for (long pid : dead) {
            info.accept("ending what vmlat process " + pid + " left in Dom0 (it no longer runs): its guests, loads and cpupools");
            ssh.run(Dom0Guard.cleanup("vmlat-" + host + "-" + pid + "-"), null, 240_000);
        }
    }

    /** Starts a load in Dom0 in its own session; returns its name (its process group id is in a pid file). */
    public String startLoad(java.util.List<String> command) {
        String name = newName();
        StringBuilder cmd = new StringBuilder();
        // "$(nproc)" is the one word Dom0's shell must expand: a preset's default worker count
        for (String w : command) cmd.append(cmd.length() == 0 ? "" : " ").append(w.equals(NPROC) ? w : SshSession.quote(w));
        String dir = RUN_DIR + "/loads";
        ssh.check("mkdir -p " + dir + " && cd /tmp && (setsid sh -c " + SshSession.quote("exec " + cmd) + " </dev/null >" + dir + "/" + name + ".log 2>&1 & echo $! > "
                + dir + "/" + name + ".pid)", 60_000);
        return name;
    }

    /** Whether a Dom0 load still runs; null if so, else its exit and the end of its output. */
    public String loadFailure(String name) {
        String dir = RUN_DIR + "/loads/";
        SshSession.Result r = ssh.run("kill -0 $(cat " + dir + name + ".pid) 2>/dev/null && echo alive || tail -c 600 " + dir + name + ".log", null, 60_000);
        return r.out().strip().equals("alive") ? null : "the load in Dom0 ended: " + r.out().strip().replace('\n', '|');
    }

    /** Ends a Dom0 load's whole process group: SIGTERM, then SIGKILL. */
    public void stopLoad(String name) {
        ssh.run(stopLoadScript(RUN_DIR + "/loads/" + name + ".pid"), null, 60_000);
    }

    /** Dom0 shell that ends the load whose pid file is {@code pidFile} (a shell word): its process group, TERM then KILL, and its files. */
    static String stopLoadScript(String pidFile) {
        return "f=" + pidFile + "; p=$(cat \"$f\" 2>/dev/null) && [ -n \"$p\" ] && { kill -TERM -$p 2>/dev/null; sleep 1; kill -KILL -$p 2>/dev/null; }; "
                + "rm -f \"$f\" \"${f%.pid}.log\"";
    }

    /**
     * Dom0 shell that destroys a cpupool (retried while a guest being torn down keeps it busy) and gives its CPUs back
     * to Pool-0: destroying a pool frees its CPUs without returning them.
     *
     * @param cpus a shell word for the pool's CPUs as xl lists them ("1,3"); empty for none
     */
    static String destroyPoolScript(String pool, String cpus) {
        return "for i in $(seq 120); do xl cpupool-list " + pool + " >/dev/null 2>&1 || break; xl cpupool-destroy " + pool
                + " 2>/dev/null && break; sleep 1; done; c=" + cpus + "; [ -n \"$c\" ] && xl cpupool-cpu-add Pool-0 \"$c\" 2>/dev/null; true";
    }

    private static long fileSize(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** This host's name as it appears in the names of what vmlat starts in Dom0. */
    public static String shortHost() {
        String h;
        try {
            h = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            h = System.getenv().getOrDefault("HOSTNAME", "host");
        }
        h = h.split("\\.")[0].replaceAll("[^A-Za-z0-9]", "");
        return h.isEmpty() ? "host" : h.length() > 20 ? h.substring(0, 20) : h;
    }

    /**
     * Destroys the guest kept for a next scenario, lets the guard end whatever else of this process is left, then
     * closes the connection: the run is over.
     */
    @Override
    public void close() {
        try {
            slot.close();
        } finally {
            try {
                if (guard != null) guard.close();
            } finally {
                ssh.close();
            }
        }
    }
}
