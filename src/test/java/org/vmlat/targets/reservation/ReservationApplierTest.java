package org.vmlat.targets.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.os.Executables;
import org.vmlat.os.ProcessIdentity;
import org.vmlat.os.ThreadScheduling;

/**
 * Reservations on the vCPU threads of a real QEMU under TCG (no guest kernel: the firmware spins
 * on the vCPU, which is all SCHED_DEADLINE and the cpu controller see), read back through
 * {@code chrt -p}, /proc/PID/task/TID/sched and the cgroup files while in force, and checked
 * restored afterwards. Needs root (CAP_SYS_NICE) and qemu-system-x86_64.
 */
class ReservationApplierTest {
    @TempDir
    Path records;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void needsRootAndQemu() {
        assumeTrue(Executables.which("qemu-system-x86_64").isPresent(), "qemu-system-x86_64 not installed");
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for SCHED_DEADLINE and the cpu controller");
    }

    @AfterEach
    void end() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private ReservationApplier applier() {
        return new ReservationApplier(records, Path.of("/proc"), CpuGroups::system);
    }

    /** A TCG QEMU with {@code cpus} vCPUs; its vCPU thread ids once they all run. */
    private record Qemu(ProcessIdentity id, List<Integer> vcpus) {}

    private Qemu qemu(int cpus) throws Exception {
        Process p = new ProcessBuilder("qemu-system-x86_64", "-accel", "tcg", "-name", "vmlat-test,debug-threads=on", "-nodefaults",
                "-display", "none", "-m", "64", "-smp", Integer.toString(cpus)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(p);
        long end = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < end) {
            List<Integer> vcpus = new ArrayList<>();
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + p.pid() + "/task"))) {
                for (Path t : tasks) {
                    String comm = Files.readString(t.resolve("comm")).strip();
                    if (comm.matches("CPU \\d+/TCG")) vcpus.add(Integer.parseInt(t.getFileName().toString()));
                }
            } catch (IOException e) {
                // threads come and go during start-up
            }
            if (vcpus.size() == cpus) return new Qemu(ProcessIdentity.of(p.pid()).orElseThrow(), vcpus);
            Thread.sleep(100);
        }
        throw new AssertionError("QEMU's vCPU threads did not appear");
    }

    private static String chrt(int tid) throws Exception {
        Process c = new ProcessBuilder("chrt", "-p", Integer.toString(tid)).redirectErrorStream(true).start();
        String out = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        c.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static String policyInProc(Qemu q, int tid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + q.id().pid() + "/task/" + tid + "/sched"))) {
            if (line.startsWith("policy")) return line.replaceAll("\\s+", " ");
        }
        return "";
    }

    private static String cpuGroup(int tid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + tid + "/cgroup"))) {
            String[] f = line.split(":", 3);
            if (List.of(f[1].split(",")).contains("cpu")) return f[2];
        }
        return "?";
    }

    @Test
    void deadlineIsReadBackWhileInForceAndRestoredAfterwards() throws Exception {
        Qemu q = qemu(1);
        int tid = q.vcpus().get(0);
        assertThat(chrt(tid)).contains("SCHED_OTHER");
        VcpuReservation r = VcpuReservation.parse("deadline:2ms/10ms", Path.of(""));
        try (ReservationApplier.Applied a = applier().apply(r, q.id(), q.vcpus(), ProcessIdentity.self())) {
            assertThat(chrt(tid)).contains("SCHED_DEADLINE").contains("2000000/10000000/10000000");
            assertThat(policyInProc(q, tid)).isEqualTo("policy : 6");
            assertThat(a.readBack()).isEqualTo("tid " + tid + " deadline 2000000/10000000/10000000 ns reset-on-fork");
            assertThat(a.file()).exists();
            assertThat(Files.readString(a.file())).contains("reservation deadline:2ms/10ms\n").contains("thread " + tid + " 0 ");
        }
        assertThat(chrt(tid)).contains("SCHED_OTHER").doesNotContain("DEADLINE");
        assertThat(policyInProc(q, tid)).isEqualTo("policy : 0");
        try (DirectoryStream<Path> left = Files.newDirectoryStream(records)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void cfsBandwidthIsAGroupOfItsOwnReadBackAndRemovedAfterwards() throws Exception {
        Qemu q = qemu(1);
        int tid = q.vcpus().get(0);
        String before = cpuGroup(tid);
        Path root = CpuGroups.system().root();
        String group = "/vmlat-reservation-" + q.id();
        try (ReservationApplier.Applied a = applier().apply(VcpuReservation.parse("cfs:2ms/10ms", Path.of("")), q.id(), q.vcpus(), ProcessIdentity.self())) {
            assertThat(cpuGroup(tid)).isEqualTo(group);
            assertThat(cpuGroup((int) q.id().pid())).as("only the vCPU thread moves").isEqualTo(before);
            assertThat(Files.readString(root.resolve(group.substring(1) + "/cpu.cfs_quota_us")).strip()).isEqualTo("2000");
            assertThat(Files.readString(root.resolve(group.substring(1) + "/cpu.cfs_period_us")).strip()).isEqualTo("10000");
            assertThat(a.readBack()).isEqualTo("tid " + tid + " cgroup " + group + " cpu.cfs_quota_us=2000 cpu.cfs_period_us=10000");
        }
        assertThat(cpuGroup(tid)).isEqualTo(before);
        assertThat(root.resolve(group.substring(1))).doesNotExist();
    }

    @Test
    void aReservationLeftByAKilledOwnerIsUndoneByTheNextStart() throws Exception {
        Qemu q = qemu(1);
        int tid = q.vcpus().get(0);
        Process owner = new ProcessBuilder("sleep", "600").start();
        started.add(owner);
        ProcessIdentity ownerId = ProcessIdentity.of(owner.pid()).orElseThrow();
        ReservationApplier applier = applier();
        applier.apply(VcpuReservation.parse("deadline:3ms/10ms", Path.of("")), q.id(), q.vcpus(), ownerId);
        Process other = new ProcessBuilder("sleep", "600").start();
        started.add(other);
        Qemu q2 = qemu(1);
        ReservationApplier.Applied live = applier.apply(VcpuReservation.parse("cfs:2ms/10ms", Path.of("")), q2.id(), q2.vcpus(),
                ProcessIdentity.of(other.pid()).orElseThrow());

        PendingReservations.Outcome whileAlive = PendingReservations.restore(applier);
        assertThat(whileAlive.restored()).isEmpty();
        assertThat(whileAlive.kept()).isEqualTo(2);

        owner.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: nothing of the owner ran to restore
        assertThat(chrt(tid)).contains("SCHED_DEADLINE");
        PendingReservations.Outcome o = PendingReservations.restore(applier);
        System.out.println("after SIGKILL of the owner: " + o.restored().size() + " restored, " + o.kept() + " kept, " + o.failed().size() + " failed: "
                + o.restored());
        assertThat(o.restored()).hasSize(1).allMatch(s -> s.startsWith("deadline:3ms/10ms on 1 vCPU thread(s) of QEMU " + q.id().pid()));
        assertThat(o.kept()).as("the other owner still runs").isEqualTo(1);
        assertThat(o.failed()).isEmpty();
        assertThat(chrt(tid)).contains("SCHED_OTHER");
        assertThat(RestoreRecord.file(records, q.id())).doesNotExist();
        live.close();
        assertThat(RestoreRecord.file(records, q2.id())).doesNotExist();
    }

    @Test
    void aCfsGroupLeftByAKilledVmlatWhoseQemuDiedToIsRemoved() throws Exception {
        Qemu q = qemu(1);
        Process owner = new ProcessBuilder("sleep", "600").start();
        started.add(owner);
        ReservationApplier applier = applier();
        applier.apply(VcpuReservation.parse("cfs:4ms/10ms", Path.of("")), q.id(), q.vcpus(), ProcessIdentity.of(owner.pid()).orElseThrow());
        Path group = CpuGroups.system().root().resolve("vmlat-reservation-" + q.id());
        assertThat(group).isDirectory();
        owner.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        started.get(0).destroyForcibly().waitFor(10, TimeUnit.SECONDS); // QEMU dies with its vmlat (pdeathsig)
        PendingReservations.Outcome o = PendingReservations.restore(applier);
        System.out.println("QEMU gone too: " + o.restored().size() + " restored, " + o.failed().size() + " failed: " + o.restored());
        assertThat(o.restored()).hasSize(1).allMatch(s -> s.endsWith("(QEMU gone; its cpu group removed)"));
        assertThat(group).doesNotExist();
    }

    @Test
    void aPinnedThreadIsRefusedWithTheReasonAndNothingChanges() throws Exception {
        Qemu q = qemu(1);
        int tid = q.vcpus().get(0);
        ThreadScheduling.pinThread(tid, 0);
        assertThatThrownBy(() -> applier().apply(VcpuReservation.parse("deadline:2ms/10ms", Path.of("")), q.id(), q.vcpus(), ProcessIdentity.self()))
                .isInstanceOf(ReservationException.class)
                .hasMessageContaining("EPERM").hasMessageContaining("pinned (CPUs 0)").hasMessageContaining("pin and deadline reservations exclude each other");
        assertThat(chrt(tid)).contains("SCHED_OTHER");
        assertThat(RestoreRecord.file(records, q.id())).doesNotExist();
    }

    @Test
    void anAdmissionRefusalIsReportedAndTheThreadsAlreadyReservedComeBack() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        // each vCPU asks 99 % of a CPU: the root domain admits at most sched_rt_runtime_us/period (95 %) of each CPU in all
        Qemu q = qemu(cpus + 1);
        assertThatThrownBy(() -> applier().apply(VcpuReservation.parse("deadline:9900us/10ms", Path.of("")), q.id(), q.vcpus(), ProcessIdentity.self()))
                .isInstanceOf(ReservationException.class).hasMessageContaining("EBUSY").hasMessageContaining("admission control");
        for (int tid : q.vcpus()) assertThat(chrt(tid)).contains("SCHED_OTHER");
        assertThat(RestoreRecord.file(records, q.id())).doesNotExist();
    }
}
