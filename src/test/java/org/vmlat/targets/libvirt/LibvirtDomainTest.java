package org.vmlat.targets.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.load.LoadLauncher;
import org.vmlat.load.LoadSpec;
import org.vmlat.load.Placement;
import org.vmlat.os.Executables;
import org.vmlat.os.FileTrees;
import org.vmlat.os.SchedPolicy;
import org.vmlat.os.command.LocalCommandRunner;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RunControl;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;
import org.vmlat.targets.RunResources;
import org.vmlat.targets.Target;
import org.vmlat.targets.image.GuestImage;
import org.vmlat.targets.image.GuestImageBuilder;
import org.vmlat.targets.ssh.SshMachine;
import org.vmlat.targets.ssh.SshSession;
import org.vmlat.targets.ssh.SshSettings;

/**
 * A real libvirtd (started here without systemd, with its own sockets) and a TCG domain made of
 * vmlat's guest image with the QEMU guest agent: a scenario's pinning and priorities are in force
 * while cyclictest runs in the domain (read from /proc, not from vmlat), the original settings are
 * back afterwards, also after vmlat was SIGKILLed mid-scenario and the run resumed.
 */
class LibvirtDomainTest {
    static final int SCHED_FIFO = 1;
    @TempDir
    static Path dir;
    static LibvirtDaemons daemons;
    static Path images;
    static String domain;
    static Path proc = Path.of("/proc");

    /** A thread's scheduling as /proc shows it: policy (stat field 41), rt_priority (40), Cpus_allowed_list, its cgroups. */
    record Seen(int policy, int priority, String cpus, String cgroups) {
        /** Policy, priority and CPUs only. */
        String scheduling() {
            return "policy " + policy + " priority " + priority + " cpus " + cpus;
        }
    }

    static String scheduling(int policy, int priority, String cpus) {
        return "policy " + policy + " priority " + priority + " cpus " + cpus;
    }

    @BeforeAll
    static void domain() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "needs root: libvirt's system driver and thread priorities");
        for (String tool : List.of("virsh", "libvirtd", "virtlogd", "qemu-system-x86_64", "cyclictest")) {
            assumeTrue(Executables.which(tool).isPresent(), tool + " missing: scripts/ensure-deps test");
        }
        assumeTrue(!Files.exists(Path.of("/run/libvirtd.pid")) || !alive(Files.readString(Path.of("/run/libvirtd.pid")).strip()),
                "a libvirtd already runs here: this test starts its own");
        GuestImageBuilder builder = new GuestImageBuilder(GuestImageBuilder.defaultCacheDir());
        GuestImage image = builder.build("nrt", m -> {});
        Path initrd = builder.agentInitrd(image, m -> {});
        // QEMU runs as libvirt-qemu: the files must be readable by it
        images = Path.of("/var/lib/libvirt/images/vmlat-test-" + ProcessHandle.current().pid());
        Files.createDirectories(images);
        Files.setPosixFilePermissions(images, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(image.kernel(), images.resolve("vmlinux"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(initrd, images.resolve("initrd.gz"), StandardCopyOption.REPLACE_EXISTING);
        for (String f : List.of("vmlinux", "initrd.gz")) Files.setPosixFilePermissions(images.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
        daemons = new LibvirtDaemons(dir.resolve("libvirt"));
        domain = "vmlat-test-" + ProcessHandle.current().pid();
        Path xml = dir.resolve("domain.xml");
        Files.writeString(xml, """
                <domain type='qemu'>
                  <name>%s</name>
                  <memory unit='MiB'>256</memory>
                  <vcpu placement='static'>1</vcpu>
                  <os><type arch='x86_64' machine='pc'>hvm</type>
                    <kernel>%s</kernel><initrd>%s</initrd><cmdline>console=ttyS0 panic=-1</cmdline></os>
                  <on_poweroff>destroy</on_poweroff><on_reboot>destroy</on_reboot><on_crash>destroy</on_crash>
                  <devices>
                    <emulator>/usr/bin/qemu-system-x86_64</emulator>
                    <serial type='file'><source path='%s'/><target port='0'/></serial>
                    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
                    <memballoon model='none'/>
                  </devices>
                </domain>
                """.formatted(domain, images.resolve("vmlinux"), images.resolve("initrd.gz"), images.resolve("console.log")));
        LibvirtDaemons.virsh(daemons.uri, "create", xml.toString());
        GuestAgentRunner agent = new GuestAgentRunner(virsh());
        long end = System.currentTimeMillis() + 180_000;
        while (true) {
            try {
                agent.ping();
                break;
            } catch (LibvirtException e) {
                if (System.currentTimeMillis() > end) throw new IllegalStateException("the guest agent never answered: " + e.getMessage()
                        + "\n" + console());
                Thread.sleep(1000);
            }
        }
    }

    static String console() {
        try {
            return Files.readString(images.resolve("console.log"));
        } catch (IOException e) {
            return "(no console: " + e.getMessage() + ")";
        }
    }

    static boolean alive(String pid) {
        return !pid.isEmpty() && Files.exists(Path.of("/proc/" + pid));
    }

    @AfterAll
    static void teardown() throws Exception {
        try {
            if (domain != null && daemons != null) {
                try {
                    LibvirtDaemons.virsh(daemons.uri, "destroy", domain);
                } catch (IllegalStateException e) {
                    // already gone
                }
            }
        } finally {
            if (daemons != null) daemons.close();
            if (images != null) FileTrees.deleteQuietly(images);
        }
    }

    static Virsh virsh() {
        return new Virsh(new LocalCommandRunner(), daemons.uri, domain);
    }

    /** Every thread of the domain's QEMU by tid, as /proc says. */
    static Map<Integer, Seen> seen(int pid) throws IOException {
        Map<Integer, Seen> out = new TreeMap<>();
        for (int tid : DomainThreads.tasks(proc, pid)) {
            Path t = proc.resolve(pid + "/task/" + tid);
            try {
                String stat = Files.readString(t.resolve("stat"));
                // fields after the command's closing parenthesis start at field 3
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                int rtPriority = Integer.parseInt(f[40 - 3]);
                int policy = Integer.parseInt(f[41 - 3]);
                String cpus = Files.readAllLines(t.resolve("status")).stream().filter(l -> l.startsWith("Cpus_allowed_list:"))
                        .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElseThrow();
                out.put(tid, new Seen(policy, rtPriority, cpus, Files.readString(t.resolve("cgroup"))));
            } catch (IOException e) {
                // ended meanwhile
            }
        }
        return out;
    }

    static ProbeSpec spec(long seconds) {
        return new ProbeSpec(SchedPolicy.FIFO, 90, 1_000_000, 0, 1, List.of(), seconds * 1_000_000_000L, 0, true, 0, false, 10, 0, 1_000_000);
    }

    static LibvirtSettings tuned(String uri) {
        return new LibvirtSettings(uri, domain, "agent", null, "cyclictest", List.of(1), VcpuScheduler.FIFO, 10, List.of(0), 5);
    }

    @Test
    void aScenarioRunsWithItsThreadSettingsAndLeavesTheOriginalsBehind() throws Exception {
        DomainThreads threads = DomainThreads.read(virsh(), proc);
        int pid = (int) threads.qemu().pid();
        int vcpu = threads.vcpus().get(0);
        Map<Integer, Seen> before = seen(pid);
        Path restoreDir = dir.resolve("restore");
        AtomicReference<Map<Integer, Seen>> during = new AtomicReference<>();
        AtomicReference<Boolean> recorded = new AtomicReference<>();
        List<String> warnings = new ArrayList<>();
        LoadLauncher loads = new LoadLauncher(dir.resolve("state"), List.of("java"), Map.of(), 1, dir.toString());
        Target.Measured m;
        long t0 = System.nanoTime();
        try (LibvirtTarget t = new LibvirtTarget("dom", tuned(daemons.uri), virsh(), null, loads, restoreDir, warnings::add, i -> {})) {
            t.check();
            m = t.measure(null, spec(3), LoadSpec.NONE, new ProbeListener() {
                @Override
                public void started(long startEpochMs) {
                    try {
                        during.set(seen(pid));
                        recorded.set(Files.exists(RestoreRecord.file(restoreDir, daemons.uri, domain)));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, new RunControl());
        }
        // what a libvirt scenario costs beyond its measuring time (agent round trips, virsh, restore), for the record
        System.out.printf("libvirt scenario of 3 s took %.1f s in all%n", (System.nanoTime() - t0) / 1e9);
        assertThat(warnings).isEmpty();
        assertThat(recorded.get()).as("restore record written before the change").isTrue();
        assertThat(during.get().get(vcpu).scheduling()).isEqualTo(scheduling(SCHED_FIFO, 10, "1"));
        for (int tid : threads.emulator()) {
            if (during.get().containsKey(tid)) assertThat(during.get().get(tid).scheduling()).as("emulator thread " + tid).isEqualTo(scheduling(SCHED_FIFO, 5, "0"));
        }
        assertThat(m.result().threads()).hasSize(1);
        assertThat(m.result().threads().get(0).count()).isPositive();
        assertThat(m.facts().get("libvirt.domain_xml")).contains("<name>" + domain + "</name>").contains("vcpupin vcpu='0' cpuset='1'");
        assertThat(m.facts().get("libvirt.threads")).contains("vcpu0 tid=" + vcpu + " policy=fifo priority=10 cpus=1")
                .contains("emulator tid=" + pid + " policy=fifo priority=5 cpus=0");
        assertThat(m.facts()).containsEntry("guest.accel", "tcg (full emulation, not KVM)");
        Map<Integer, Seen> after = seen(pid);
        for (var e : before.entrySet()) if (after.containsKey(e.getKey())) assertThat(after.get(e.getKey())).as("thread " + e.getKey()).isEqualTo(e.getValue());
        assertThat(RestoreRecord.file(restoreDir, daemons.uri, domain)).doesNotExist();
    }

    @Test
    void aKilledVmlatLeavesARecordThatTheResumedRunRestores() throws Exception {
        DomainThreads threads = DomainThreads.read(virsh(), proc);
        int pid = (int) threads.qemu().pid();
        int vcpu = threads.vcpus().get(0);
        Map<Integer, Seen> before = seen(pid);
        Path run = dir.resolve("killed");
        Files.createDirectories(run);
        Path plan = run.resolve("plan.toml");
        Files.writeString(plan, """
                name = "libvirt-kill"
                duration = "4s"
                timeout = "120s"
                [matrix]
                target = ["dom"]
                probe = ["cyclictest"]
                interval = ["1ms"]
                load = ["none"]
                vcpu_sched = ["fifo"]
                vcpu_priority = ["10"]
                [[target]]
                name = "dom"
                kind = "libvirt"
                uri = "%s"
                domain = "%s"
                vcpu_pin = "1"
                emulator_pin = "0"
                emulator_priority = 5
                """.formatted(daemons.uri, domain));
        Path db = run.resolve("runs.db");
        Path record = RestoreRecord.file(run.resolve("state/libvirt"), daemons.uri, domain);
        Process p = vmlat(run, "lab", "run", plan.toString(), "--store", db.toString(), "-q");
        long end = System.currentTimeMillis() + 60_000;
        while (!(Files.exists(record) && seen(pid).get(vcpu).policy() == SCHED_FIFO)) {
            assertThat(p.isAlive()).as("vmlat still running (output: %s)", output(run)).isTrue();
            assertThat(System.currentTimeMillis()).as("the scenario's settings in force").isLessThan(end);
            Thread.sleep(100);
        }
        p.destroyForcibly(); // SIGKILL: nothing of vmlat runs its restores
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seen(pid).get(vcpu).scheduling()).as("left changed by the killed vmlat").isEqualTo(scheduling(SCHED_FIFO, 10, "1"));
        assertThat(record).exists();

        Process resume = vmlat(run, "lab", "run", "--resume", "1", "--store", db.toString(), "-q");
        assertThat(resume.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(resume.exitValue()).as("resume (output: %s)", output(run)).isZero();
        Map<Integer, Seen> after = seen(pid);
        for (var e : before.entrySet()) if (after.containsKey(e.getKey())) assertThat(after.get(e.getKey())).as("thread " + e.getKey()).isEqualTo(e.getValue());
        assertThat(record).doesNotExist();
        assertThat(output(run)).contains("restored the thread settings an unfinished scenario left on domain " + domain);
        // the domain's XML and the thread settings in force are stored with the scenario
        try (ResultStore store = ResultStore.openReadOnly(db.toString())) {
            List<ScenarioRecord> scenarios = store.scenarios(store.runs().get(0).id());
            assertThat(scenarios).hasSize(1);
            ScenarioRecord sc = scenarios.get(0);
            assertThat(sc.status()).as(sc.reason()).isEqualTo(ScenarioStatus.DONE);
            assertThat(sc.settings().get("libvirt.domain_xml")).contains("<name>" + domain + "</name>");
            assertThat(sc.settings().get("libvirt.threads")).contains("vcpu0 tid=" + vcpu + " policy=fifo priority=10 cpus=1")
                    .contains("emulator tid=" + pid + " policy=fifo priority=5 cpus=0");
        }
    }

    @Test
    void aGuestLoadRunsInTheDomainDuringTheScenarioAndEndsWithIt() throws Exception {
        GuestAgentRunner agent = new GuestAgentRunner(virsh());
        LoadLauncher loads = new LoadLauncher(dir.resolve("state"), List.of("java"), Map.of(), 1, dir.toString());
        LoadSpec guestLoad = new LoadSpec("hackbench", "scheduler", List.of(), 1, Placement.GUEST);
        AtomicReference<String> during = new AtomicReference<>();
        Target.Measured m;
        LibvirtSettings untouched = new LibvirtSettings(daemons.uri, domain, "agent", null, "cyclictest", List.of(), null, 0, List.of(), 0);
        try (LibvirtTarget t = new LibvirtTarget("dom", untouched, virsh(), null, loads, dir.resolve("restore"), w -> {}, i -> {})) {
            m = t.measure(null, spec(2), guestLoad, new ProbeListener() {
                @Override
                public void started(long startEpochMs) {
                    during.set(agent.run(List.of("pidof", "hackbench"), 30_000_000_000L).stdout());
                }
            }, new RunControl());
        }
        assertThat(m.failure()).isNull();
        assertThat(m.result().threads().get(0).count()).isPositive();
        assertThat(during.get()).as("hackbench running in the domain while measuring").isNotBlank();
        assertThat(agent.run(List.of("pidof", "hackbench"), 30_000_000_000L).stdout()).as("nothing left in the domain").isBlank();
    }

    /**
     * probe = "ssh": the one cyclictest driver over the ssh kind's runner. The domain's image has
     * no sshd, so a real sshd on 127.0.0.1 stands in for the guest's: what is tested is the path
     * (host key checked, the run's shared connection, cyclictest's output and JSON over it) with
     * the domain's thread settings applied and restored around it.
     */
    @Test
    void theProbeReachesTheGuestOverSsh() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/sshd")), "sshd missing: apt-get install openssh-server");
        Path ssh = dir.resolve("sshd");
        Files.createDirectories(ssh);
        LibvirtDaemons.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", ssh.resolve("host_key").toString());
        LibvirtDaemons.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", ssh.resolve("id").toString());
        Files.copy(ssh.resolve("id.pub"), ssh.resolve("authorized_keys"));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Files.writeString(ssh.resolve("sshd_config"), "Port " + port + "\nListenAddress 127.0.0.1\nHostKey " + ssh.resolve("host_key")
                + "\nAuthorizedKeysFile " + ssh.resolve("authorized_keys") + "\nPasswordAuthentication no\nPermitRootLogin prohibit-password\n"
                + "StrictModes no\nPidFile " + ssh.resolve("sshd.pid") + "\n");
        Files.writeString(ssh.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + Files.readString(ssh.resolve("host_key.pub")));
        Files.createDirectories(Path.of("/run/sshd"));
        Process sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", ssh.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(ssh.resolve("sshd.log").toFile()).start();
        try (RunResources resources = new RunResources(w -> {})) {
            Thread.sleep(500);
            DomainThreads threads = DomainThreads.read(virsh(), proc);
            int vcpu = threads.vcpus().get(0);
            Map<Integer, Seen> before = seen((int) threads.qemu().pid());
            SshSettings guest = new SshSettings("127.0.0.1", port, "root", ssh.resolve("id"),
                    ssh.resolve("known_hosts"), true);
            SshMachine machine = resources.shared("guest", SshMachine.class,
                    () -> new SshMachine(new SshSession(guest)));
            LibvirtSettings s = new LibvirtSettings(daemons.uri, domain, "ssh", guest, "cyclictest", List.of(1), VcpuScheduler.FIFO, 10, List.of(), 0);
            LoadLauncher loads = new LoadLauncher(dir.resolve("state"), List.of("java"), Map.of(), 1, dir.toString());
            AtomicReference<Seen> during = new AtomicReference<>();
            Target.Measured m;
            try (LibvirtTarget t = new LibvirtTarget("dom", s, virsh(), machine, loads, dir.resolve("restore"), w -> {}, i -> {})) {
                t.check();
                assertThat(t.probeCommand(null, spec(2))).contains("over SSH to root@127.0.0.1:" + port);
                m = t.measure(null, spec(2), LoadSpec.NONE, new ProbeListener() {
                    @Override
                    public void started(long startEpochMs) {
                        try {
                            during.set(seen((int) threads.qemu().pid()).get(vcpu));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }, new RunControl());
            }
            assertThat(m.result().threads()).hasSize(1);
            assertThat(m.result().threads().get(0).count()).isPositive();
            assertThat(m.result().settings().get("command")).startsWith("cyclictest ");
            assertThat(during.get().scheduling()).isEqualTo(scheduling(SCHED_FIFO, 10, "1"));
            Map<Integer, Seen> after = seen((int) threads.qemu().pid());
            for (var e : before.entrySet()) if (after.containsKey(e.getKey())) assertThat(after.get(e.getKey())).as("thread " + e.getKey()).isEqualTo(e.getValue());
        } finally {
            sshd.destroy();
            sshd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static Process vmlat(Path run, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.vmlat.cli.Vmlat"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(run.resolve("out.txt").toFile()));
        pb.environment().put("VMLAT_STATE_DIR", run.resolve("state").toString());
        return pb.start();
    }

    static String output(Path run) {
        try {
            return Files.readString(run.resolve("out.txt"));
        } catch (IOException e) {
            return "";
        }
    }
}
