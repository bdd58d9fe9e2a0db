package org.vmlat.targets.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.lab.Plan;
import org.vmlat.lab.PlanFile;
import org.vmlat.load.LoadLauncher;
import org.vmlat.load.LoadSpec;
import org.vmlat.os.SystemFacts;
import org.vmlat.os.SystemFactsReader;
import org.vmlat.targets.RunResources;
import org.vmlat.targets.TargetContext;
import org.vmlat.targets.TargetSettings;
import org.vmlat.targets.TargetUnavailableException;
import org.vmlat.targets.local.LocalSettings;
import org.vmlat.targets.qemu.QemuSettings;

class SshKindTest {
    private static final String PLAN = """
            duration = "1s"
            [matrix]
            target = ["guest"]
            probe = ["cyclictest"]
            interval = ["1ms"]
            [[target]]
            name = "guest"
            kind = "ssh"
            host = "10.0.0.5"
            identity = "/keys/id"
            load_on = "kvm"
            [[target]]
            name = "kvm"
            kind = "ssh"
            host = "kvm1.lab"
            port = 2222
            user = "lab"
            known_hosts = "/keys/known"
            check_host_key = false
            cyclictest = "/opt/rt/cyclictest"
            """;

    @Test
    void thePlanKeysBecomeTypedSettings() {
        Plan plan = PlanFile.parse("plan.toml", PLAN, List.of(0, 1));
        SshTargetSettings guest = plan.targets().get("guest").settings(SshTargetSettings.class);
        assertThat(guest).isEqualTo(new SshTargetSettings(new SshSettings("10.0.0.5", 22, "root", Path.of("/keys/id"), null, true), "cyclictest", "kvm"));
        SshTargetSettings kvm = plan.targets().get("kvm").settings(SshTargetSettings.class);
        assertThat(kvm).isEqualTo(new SshTargetSettings(new SshSettings("kvm1.lab", 2222, "lab", null, Path.of("/keys/known"), false), "/opt/rt/cyclictest", ""));
        // only cyclictest: the builtin engine leaves the ssh cells out of the matrix
        assertThat(new SshKind().engines()).containsExactly("cyclictest");
    }

    @Test
    void badKeysAreReportedAtTheirLine() {
        assertThatThrownBy(() -> PlanFile.parse("plan.toml", PLAN.replace("host = \"10.0.0.5\"\n", ""), List.of()))
                .hasMessageContaining("plan.toml:7: target \"guest\".host: missing");
        assertThatThrownBy(() -> PlanFile.parse("plan.toml", PLAN.replace("port = 2222", "port = 70000"), List.of()))
                .hasMessageContaining("target \"kvm\".port: expected 1..65535, got 70000");
        assertThatThrownBy(() -> PlanFile.parse("plan.toml", PLAN.replace("cyclictest = \"/opt/rt/cyclictest\"", "cyclictest = \" \""), List.of()))
                .hasMessageContaining("target \"kvm\".cyclictest: expected cyclictest's path or name");
        assertThatThrownBy(() -> PlanFile.parse("plan.toml", PLAN + "mode = \"pv\"\n", List.of())).hasMessageContaining("target \"kvm\".mode");
    }

    /** load_on names another ssh target or a local one; anything else stops the run before it starts. */
    @Test
    void loadOnMustNameAnSshOrLocalTargetOfThePlan(@TempDir Path dir) {
        SshTargetSettings guest = new SshTargetSettings(new SshSettings("10.0.0.5", 22, "root", null, null, true), "cyclictest", "kvm");
        assertThatThrownBy(() -> new SshKind().create("guest", guest, context(dir, Map.of("other", new LocalSettings()))))
                .isInstanceOf(TargetUnavailableException.class).hasMessageContaining("load_on = \"kvm\" names no target of the plan (defined: other)");
        QemuSettings vm = new QemuSettings("nrt", 1, 256, "auto", List.of(), 0, 0, List.of(), 60_000_000_000L);
        assertThatThrownBy(() -> new SshKind().create("guest", guest, context(dir, Map.of("kvm", vm))))
                .isInstanceOf(TargetUnavailableException.class).hasMessageContaining("must name an ssh target (a guest's host) or a local one");
        assertThat(new SshKind().create("guest", guest, context(dir, Map.of("kvm", new LocalSettings()))).loadCommand(LoadSpec.NONE)).isEmpty();
    }

    private static TargetContext context(Path dir, Map<String, TargetSettings> targets) {
        return new TargetContext(new LoadLauncher(dir, List.of(), Map.of(), 1, dir.toString()), m -> { }, m -> { }, dir, dir, new RunResources(m -> { }), targets);
    }

    /** The files the remote command prints, laid out as a tree: what the reader makes of a fixture of that output. */
    @Test
    void remoteFilesBecomeFactsThroughTheOneReader(@TempDir Path dir) throws Exception {
        String out = String.join("\n",
                "@@vmlat-file /proc/sys/kernel/osrelease", "6.1.0-27-rt-amd64", "",
                "@@vmlat-file /proc/sys/kernel/version", "#1 SMP PREEMPT_RT Debian 6.1.115-1 (2024-11-01)", "",
                "@@vmlat-file /sys/kernel/realtime", "1", "",
                "@@vmlat-file /proc/cmdline", "BOOT_IMAGE=/vmlinuz isolcpus=1 nohz_full=1", "",
                "@@vmlat-file /sys/devices/system/clocksource/clocksource0/current_clocksource", "kvm-clock", "",
                "@@vmlat-file /sys/devices/system/cpu/online", "0-1", "",
                "@@vmlat-file /sys/devices/system/cpu/isolated", "1", "",
                "@@vmlat-file /proc/cpuinfo", "processor\t: 0", "model name\t: QEMU Virtual CPU", "flags\t\t: fpu hypervisor svm", "",
                "@@vmlat-file /sys/class/dmi/id/sys_vendor", "QEMU", "",
                "@@vmlat-dir /sys/module/kvm_amd",
                "@@vmlat-file /dev/kvm",
                "@@vmlat-file /boot/config-6.1.0-27-rt-amd64", "CONFIG_HZ=250", "CONFIG_NO_HZ_FULL=y", "");
        RemoteFacts.unpack(out, dir);
        SystemFacts f = new SystemFactsReader(dir).read();
        assertThat(f.kernelRelease()).isEqualTo("6.1.0-27-rt-amd64");
        assertThat(f.preemption()).isEqualTo("PREEMPT_RT");
        assertThat(f.realtimeFlag()).isTrue();
        assertThat(f.cmdline()).isEqualTo("BOOT_IMAGE=/vmlinuz isolcpus=1 nohz_full=1");
        assertThat(f.clocksource()).isEqualTo("kvm-clock");
        assertThat(f.onlineCpus()).containsExactly(0, 1);
        assertThat(f.isolatedCpus()).containsExactly(1);
        assertThat(f.hz()).contains(250);
        assertThat(f.noHz()).contains("full");
        assertThat(f.cpuModel()).isEqualTo("QEMU Virtual CPU");
        assertThat(f.virtualization()).isEqualTo("kvm");
        assertThat(f.kvmDevice()).isTrue();
        assertThat(f.kvmModule()).contains("kvm_amd");
        assertThatThrownBy(() -> RemoteFacts.unpack("@@vmlat-file /../../etc/passwd\nx\n", dir)).hasMessageContaining("outside the facts tree");
    }

    /**
     * The remote command run on this machine and its output read through a tree give the facts the
     * reader gives reading / itself: no file the reader looks at is missed.
     */
    @Test
    void theRemoteCommandMissesNothingTheReaderReads(@TempDir Path dir) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", RemoteFacts.SCRIPT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        RemoteFacts.unpack(out, dir);
        Map<String, String> remote = new SystemFactsReader(dir).read().asMap(), local = SystemFactsReader.live().asMap();
        assertThat(remote).isEqualTo(local);
        assertThat(Files.exists(dir.resolve("proc/cmdline"))).isTrue();
    }

    @Test
    void leftoverLinesNameTheGroupAndItsOwner() {
        SshMachine.Leftover l = SshMachine.Leftover.parse("/run/vmlat/ssh-loads/vmlat-lab-4242-3.pid 5120 987654 lab 4242 1796053341590");
        assertThat(l).isEqualTo(new SshMachine.Leftover("/run/vmlat/ssh-loads/vmlat-lab-4242-3", 5120, new SshMachine.Owner("lab", 4242, 1796053341590L)));
        assertThat(l.name()).isEqualTo("vmlat-lab-4242-3");
        assertThat(SshMachine.Leftover.parse("/run/vmlat/ssh-loads/x.pid 5120")).isNull(); // not written by an ssh target
        assertThat(SshMachine.Leftover.parse("/run/vmlat/ssh-loads/x.pid a b c d e")).isNull();
    }
}
