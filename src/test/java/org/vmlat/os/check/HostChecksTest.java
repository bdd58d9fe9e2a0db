package org.vmlat.os.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.os.check.Finding.Level;

class HostChecksTest {
    static final int FIFO = 1;
    static final int OTHER = 0;

    @TempDir
    Path dir;

    private int trees;

    /** A fresh tree for each call: trees of one test never share files. */
    FakeTree fake() {
        return new FakeTree(dir.resolve("tree" + trees++)).file("sys/devices/system/cpu/online", "0-3");
    }

    static Finding only(List<Finding> findings) {
        assertThat(findings).hasSize(1);
        return findings.get(0);
    }

    static CheckScope cpus23(int priority) {
        return new CheckScope(List.of(2, 3), priority);
    }

    @Test
    void irqThreadsAtOrAboveTheProbeOnMeasuringCpusAreNamed() {
        SystemTree t = fake()
                .process(50, "irq/24-ACPI:Ged", FIFO, 50, "0")
                .process(61, "irq/30-eth0", FIFO, 96, "2-3")
                .process(62, "irq/31-nvme0q1", FIFO, 95, "0-3")
                .process(63, "irq/40-timer", FIFO, 99, "0")
                .process(64, "irq/41-ahci", FIFO, 50, "3")
                .process(70, "ksoftirqd/2", OTHER, 0, "2")
                .tree();
        Finding f = only(new IrqThreadPriorities().check(t, cpus23(95)));
        assertThat(f.level()).isEqualTo(Level.WARN);
        assertThat(f.finding()).isEqualTo("2 of 3 IRQ threads on CPUs 2-3 at or above the probe's FIFO 95: "
                + "irq/30-eth0 (pid 61, FIFO 96 outranks, CPUs 2-3), irq/31-nvme0q1 (pid 62, FIFO 95 ties, CPUs 2-3)");
        assertThat(f.advice()).contains("chrt -f -p 50 PID").contains("smp_affinity_list");

        Finding above = only(new IrqThreadPriorities().check(t, cpus23(97)));
        assertThat(above.level()).isEqualTo(Level.OK);
        assertThat(above.finding()).isEqualTo("3 IRQ threads may run on CPUs 2-3, highest FIFO 96 < the probe's 97");
    }

    @Test
    void noThreadedIrqsIsSaid() {
        Finding f = only(new IrqThreadPriorities().check(fake().process(70, "ksoftirqd/2", OTHER, 0, "2").tree(), cpus23(95)));
        assertThat(f.level()).isEqualTo(Level.INFO);
        assertThat(f.finding()).isEqualTo("no threaded IRQ handlers on CPUs 2-3");
    }

    @Test
    void smtSiblingsOnlineAreReportedOfflineOnesNot() {
        FakeTree t = fake().file("sys/devices/system/cpu/online", "0-5,7")
                .file("sys/devices/system/cpu/cpu2/topology/thread_siblings_list", "2,6")
                .file("sys/devices/system/cpu/cpu3/topology/thread_siblings_list", "3,7");
        Finding f = only(new SmtSiblings().check(t.tree(), cpus23(95)));
        assertThat(f.level()).isEqualTo(Level.WARN);
        assertThat(f.finding()).isEqualTo("cores shared: CPU 3 with 7");

        t.file("sys/devices/system/cpu/online", "0-5");
        Finding none = only(new SmtSiblings().check(t.tree(), cpus23(95)));
        assertThat(none.level()).isEqualTo(Level.OK);
        assertThat(none.finding()).isEqualTo("CPUs 2-3 share their cores with no online CPU");

        assertThat(only(new SmtSiblings().check(fake().tree(), cpus23(95))).level()).isEqualTo(Level.INFO);
    }

    @Test
    void irqbalanceRunningIsAWarning() {
        Finding f = only(new Irqbalance().check(fake().process(812, "irqbalance", OTHER, 0, "0-3").tree(), cpus23(95)));
        assertThat(f.level()).isEqualTo(Level.WARN);
        assertThat(f.finding()).isEqualTo("running (pid 812)");
        assertThat(only(new Irqbalance().check(fake().process(813, "irqbalanced", OTHER, 0, "0-3").tree(), cpus23(95))).level()).isEqualTo(Level.OK);
    }

    @Test
    void transparentHugepagesReadTheBracketedChoice() {
        FakeTree t = fake().file("sys/kernel/mm/transparent_hugepage/enabled", "[always] madvise never")
                .file("sys/kernel/mm/transparent_hugepage/defrag", "always defer defer+madvise [madvise] never");
        Finding f = only(new TransparentHugePages().check(t.tree(), cpus23(95)));
        assertThat(f.level()).isEqualTo(Level.WARN);
        assertThat(f.finding()).isEqualTo("enabled=always, defrag=madvise");
        t.file("sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never");
        assertThat(only(new TransparentHugePages().check(t.tree(), cpus23(95)))).extracting(Finding::level, Finding::finding)
                .containsExactly(Level.OK, "enabled=madvise, defrag=madvise");
        t.file("sys/kernel/mm/transparent_hugepage/defrag", "[always] defer defer+madvise madvise never");
        assertThat(only(new TransparentHugePages().check(t.tree(), cpus23(95))).level()).isEqualTo(Level.WARN);
        assertThat(only(new TransparentHugePages().check(fake().tree(), cpus23(95))).level()).isEqualTo(Level.INFO);
    }

    @Test
    void sysctlsNmiWatchdogAndTimerMigration() {
        FakeTree t = fake().file("proc/sys/kernel/nmi_watchdog", "1").file("proc/sys/kernel/timer_migration", "1");
        assertThat(only(new NmiWatchdog().check(t.tree(), cpus23(95)))).extracting(Finding::level, Finding::finding)
                .containsExactly(Level.WARN, "on (kernel.nmi_watchdog=1): a periodic NMI on every CPU");
        assertThat(only(new TimerMigration().check(t.tree(), cpus23(95)))).extracting(Finding::level, Finding::finding)
                .containsExactly(Level.INFO, "on (kernel.timer_migration=1): timers of idle CPUs may expire on other CPUs");
        t.file("proc/sys/kernel/nmi_watchdog", "0").file("proc/sys/kernel/timer_migration", "0");
        assertThat(only(new NmiWatchdog().check(t.tree(), cpus23(95))).level()).isEqualTo(Level.OK);
        assertThat(only(new TimerMigration().check(t.tree(), cpus23(95))).level()).isEqualTo(Level.OK);
    }

    @Test
    void tunedProfileRealTimeOrNot() {
        FakeTree t = fake().file("etc/tuned/active_profile", "realtime-virtual-host");
        assertThat(only(new TunedProfile().check(t.tree(), cpus23(95)))).extracting(Finding::level, Finding::finding)
                .containsExactly(Level.OK, "realtime-virtual-host");
        t.file("etc/tuned/active_profile", "balanced");
        assertThat(only(new TunedProfile().check(t.tree(), cpus23(95)))).extracting(Finding::level, Finding::finding)
                .containsExactly(Level.INFO, "balanced (not a real-time profile)");
        assertThat(only(new TunedProfile().check(fake().tree(), cpus23(95))).finding()).isEqualTo("none active (no /etc/tuned/active_profile)");
    }

    @Test
    void cpuDmaLatencyHoldersFoundThroughTheirOpenFiles() {
        FakeTree t = fake()
                .process(700, "cyclictest", FIFO, 95, "0-3").link("proc/700/fd/3", "/dev/cpu_dma_latency").link("proc/700/fd/1", "/dev/pts/0")
                .process(701, "bash", OTHER, 0, "0-3").link("proc/701/fd/0", "/dev/null")
                .process(702, "sshd", OTHER, 0, "0-3"); // no fd/ readable: another user's process
        Finding f = only(new CpuDmaLatencyHolders().check(t.tree(), cpus23(95)));
        assertThat(f.finding()).isEqualTo("held by cyclictest (pid 700) (1 processes' open files unreadable: run as root to see them)");
        t.link("proc/702/fd/4", "/dev/cpu_dma_latency");
        assertThat(only(new CpuDmaLatencyHolders().check(t.tree(), cpus23(95))).finding()).isEqualTo("held by cyclictest (pid 700), sshd (pid 702)");
    }

    @Test
    void vcpuThreadsOfAGuestWithTheirSchedulingAndPinning() {
        FakeTree t = fake()
                .process(900, "qemu-system-x86", OTHER, 0, "0-3")
                .file("proc/900/cmdline", "qemu-system-x86_64\0-name\0guest=rt1,debug-threads=on\0-accel\0kvm")
                .task("proc/900/task/900", "qemu-system-x86", OTHER, 0, "0-3")
                .task("proc/900/task/901", "CPU 0/KVM", FIFO, 1, "2")
                .task("proc/900/task/902", "CPU 1/KVM", OTHER, 0, "0-3")
                .task("proc/900/task/903", "worker", OTHER, 0, "0-3");
        Finding f = only(new VcpuThreads().check(t.tree(), cpus23(95)));
        assertThat(f.level()).isEqualTo(Level.WARN);
        assertThat(f.finding()).isEqualTo("guest rt1 (pid 900): CPU 0/KVM FIFO 1 on 2, CPU 1/KVM OTHER on any CPU");
        t.task("proc/900/task/902", "CPU 1/KVM", FIFO, 1, "3");
        assertThat(only(new VcpuThreads().check(t.tree(), cpus23(95)))).extracting(Finding::level, Finding::finding)
                .containsExactly(Level.OK, "guest rt1 (pid 900): CPU 0/KVM FIFO 1 on 2, CPU 1/KVM FIFO 1 on 3");
        t.task("proc/900/task/902", "CPU 1/KVM", 6, 0, "0-3");
        assertThat(only(new VcpuThreads().check(t.tree(), cpus23(95)))).extracting(Finding::level, Finding::finding)
                .as("a SCHED_DEADLINE vCPU is a reservation, not pinned by design")
                .containsExactly(Level.OK, "guest rt1 (pid 900): CPU 0/KVM FIFO 1 on 2, CPU 1/KVM DEADLINE on any CPU");
        assertThat(only(new VcpuThreads().check(fake().tree(), cpus23(95))).level()).isEqualTo(Level.INFO);
    }

    @Test
    void everyRegisteredCheckAnswersOnAnEmptyTreeAndOnThisMachine() {
        Set<Class<?>> kinds = new HashSet<>();
        HostChecks.all().forEach(c -> kinds.add(c.getClass()));
        assertThat(kinds).hasSize(9);
        for (SystemTree tree : List.of(fake().tree(), SystemTree.live())) {
            List<Finding> all = HostChecks.run(tree, new CheckScope(List.of(0), 95));
            Set<String> names = new HashSet<>();
            for (Finding f : all) {
                assertThat(f.check()).isNotBlank();
                assertThat(f.finding()).isNotBlank();
                names.add(f.check());
            }
            System.out.println(tree.root() + ": " + all.size() + " findings from " + names.size() + " checks");
            assertThat(names).hasSize(9);
        }
    }
}
