package org.vmlat.targets.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.load.LoadLauncher;
import org.vmlat.load.LoadSpec;
import org.vmlat.load.Placement;
import org.vmlat.os.PrivateFolder;
import org.vmlat.os.SchedPolicy;
import org.vmlat.probe.ProbeException;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RunControl;
import org.vmlat.latency.StopReason;
import org.vmlat.targets.KernelTrace;
import org.vmlat.targets.Target;
import org.vmlat.targets.image.GuestImageBuilder;
import org.vmlat.targets.reservation.RestoreRecord;

/**
 * A real PREEMPT_RT guest under QEMU (TCG here) serving consecutive scenarios: one boot for the
 * scenarios with the same boot key, each scenario's own options honoured (its threads and its
 * interval), the guest checked clean after each (also after a guest load), a new boot for another
 * key, and after a scenario stopped half-way (what the run's timeout does); traced and reserved
 * scenarios on the same boot, each one's tracing and reservation gone after it; at the end no QEMU.
 */
class ServedGuestTest {
    static final ProbeListener QUIET = new ProbeListener() { };

    static ProbeSpec spec(long intervalUs, int threads) {
        return new ProbeSpec(SchedPolicy.FIFO, 95, intervalUs * 1000, 0, threads, List.of(), 2_000_000_000L, 0, true, 0, false,
                ProbeSpec.DEFAULT_SPIKES, 0, 10_000_000L);
    }

    static QemuSettings settings(int vcpus) {
        return new QemuSettings("rt", vcpus, 256, "tcg", List.of(), 0, 0, List.of(), 240_000_000_000L);
    }

    static QemuTarget target(Path dir, String name, QemuSettings s, GuestSlot slot, List<String> warnings) {
        LoadLauncher loads = new LoadLauncher(dir.resolve("state"), List.of("java"), Map.of(), 1, dir.toString());
        return new QemuTarget(name, s, loads, new GuestImageBuilder(GuestImageBuilder.defaultCacheDir()), new AccelCheck(dir, dir),
                warnings::add, m -> { }).sharing(slot);
    }

    /** QEMU processes of this JVM (their sockets are in its private folder), not their supervising shells. */
    static int qemus() throws Exception {
        Process ps = new ProcessBuilder("pgrep", "-f", "^qemu-system-x86_64 .*" + PrivateFolder.get()).start();
        String out = new String(ps.getInputStream().readAllBytes()).strip();
        return out.isEmpty() ? 0 : out.split("\n").length;
    }

    static void assumeQemu() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "qemu-system-x86 not installed");
    }

    @Test
    void threeScenariosShareOneBootAndAnotherKeyBootsAgain(@TempDir Path dir) throws Exception {
        assumeQemu();
        List<String> warnings = new ArrayList<>();
        LoadSpec none = new LoadSpec("none", "", List.of(), 1, Placement.HOST);
        LoadSpec inGuest = new LoadSpec("hackbench", "", List.of("hackbench"), 1, Placement.GUEST);
        ProbeSpec[] specs = {spec(1000, 1), spec(2000, 2), spec(4000, 1)};
        LoadSpec[] loads = {none, none, inGuest};
        List<MeasurementResult> results = new ArrayList<>();
        List<Integer> qemuCounts = new ArrayList<>();
        try (GuestSlot slot = new GuestSlot()) {
            QemuTarget one = target(dir, "one", settings(1), slot, warnings);
            one.prepare();
            for (int i = 0; i < specs.length; i++) {
                Target.Measured m = one.measure(null, specs[i], loads[i], QUIET, new RunControl());
                assertThat(m.failure()).isNull();
                results.add(m.result());
                qemuCounts.add(qemus());
            }
            QemuTarget two = target(dir, "two", settings(2), slot, warnings);
            two.prepare();
            Target.Measured other = two.measure(null, spec(1000, 1), none, QUIET, new RunControl());
            results.add(other.result());
            qemuCounts.add(qemus());
        }
        int after = qemus();
        List<String> boots = results.stream().map(r -> r.settings().get(SettingsKeys.GUEST_BOOT)).toList();
        List<String> ids = results.stream().map(r -> r.system().get("guest.boot_id")).toList();
        List<String> clean = results.stream().map(r -> r.settings().get("guest.clean")).toList();
        System.out.printf("ServedGuestTest: boots %s, boot ids %s, clean %s, QEMU processes after each %s, after close %d, counts %s%n",
                boots, ids, clean, qemuCounts, after, results.stream().map(r -> r.threads().stream().map(t -> t.count()).toList()).toList());
        assertThat(boots).containsExactly("fresh", "reused", "reused", "fresh");
        assertThat(ids.get(0)).isNotBlank().isNotEqualTo("none");
        assertThat(ids.subList(0, 3)).containsOnly(ids.get(0));
        assertThat(ids.get(3)).isNotBlank().isNotEqualTo(ids.get(0));
        assertThat(results.get(3).system()).containsEntry("guest.cpus", "2");
        assertThat(results.get(0).system()).containsEntry("guest.cpus", "1");
        assertThat(clean).containsOnly("yes");
        assertThat(qemuCounts).containsOnly(1);
        assertThat(after).isZero();
        // each scenario ran with its own options: its threads, and no more loops than its interval allows in 2 s
        for (int i = 0; i < specs.length; i++) {
            MeasurementResult r = results.get(i);
            assertThat(r.threads()).as("scenario " + i).hasSize(specs[i].threads());
            long loops = specs[i].durationNs() / specs[i].intervalNs();
            assertThat(r.threads()).allSatisfy(t -> assertThat(t.count()).isPositive().isLessThanOrEqualTo(loops));
        }
    }

    @Test
    void aScenarioStoppedHalfWayLeavesTheNextOneAFreshBoot(@TempDir Path dir) throws Exception {
        assumeQemu();
        List<String> warnings = new ArrayList<>();
        LoadSpec none = new LoadSpec("none", "", List.of(), 1, Placement.HOST);
        String firstId, secondId, secondBoot;
        int during;
        try (GuestSlot slot = new GuestSlot()) {
            QemuTarget t = target(dir, "g", settings(1), slot, warnings);
            t.prepare();
            MeasurementResult first = t.measure(null, spec(1000, 1), none, QUIET, new RunControl()).result();
            firstId = first.system().get("guest.boot_id");
            RunControl stop = new RunControl();
            ProbeSpec longer = new ProbeSpec(SchedPolicy.FIFO, 95, 1_000_000, 0, 1, List.of(), 60_000_000_000L, 0, true, 0, false,
                    ProbeSpec.DEFAULT_SPIKES, 0, 10_000_000L);
            Thread stopper = new Thread(() -> {
                try {
                    Thread.sleep(3000);
                } catch (InterruptedException e) {
                    return;
                }
                stop.requestStop(StopReason.FAILED); // as the run's watchdog does at a scenario's timeout
            });
            stopper.start();
            assertThatThrownBy(() -> t.measure(null, longer, none, QUIET, stop)).isInstanceOf(ProbeException.class)
                    .hasMessageContaining("stopped during the");
            stopper.join();
            during = qemus();
            MeasurementResult next = t.measure(null, spec(1000, 1), none, QUIET, new RunControl()).result();
            secondId = next.system().get("guest.boot_id");
            secondBoot = next.settings().get(SettingsKeys.GUEST_BOOT);
        }
        System.out.printf("ServedGuestTest: after a stopped scenario: QEMU processes %d, next boot %s, boot ids %s -> %s%n", during, secondBoot, firstId, secondId);
        assertThat(during).as("the stopped scenario's guest is shut down").isZero();
        assertThat(secondBoot).isEqualTo("fresh");
        assertThat(secondId).isNotBlank().isNotEqualTo(firstId);
        assertThat(qemus()).isZero();
    }

    /**
     * Three scenarios on one boot: traced without a reservation, untraced under SCHED_DEADLINE, traced under CFS
     * bandwidth. The traced ones bring their trace (raw timer addresses, the clock marks of at least 10 round trips),
     * the untraced one none; each reservation is read back while in force and gone after; the guest reports itself
     * clean (tracing off, events off, ring shrunk back, no probe or load) after each. Needs root and QEMU.
     */
    @Test
    void tracedAndReservedScenariosShareOneBoot(@TempDir Path dir) throws Exception {
        assumeQemu();
        assumeTrue("root".equals(System.getProperty("user.name")), "reservations need root");
        List<String> warnings = new ArrayList<>();
        LoadSpec none = new LoadSpec("none", "", List.of(), 1, Placement.HOST);
        String[] reservations = {"none", "deadline:2ms/10ms", "cfs:5ms/10ms"};
        boolean[] traced = {true, false, true};
        ProbeSpec spec = new ProbeSpec(SchedPolicy.FIFO, 95, 1_000_000, 0, 1, List.of(), 3_000_000_000L, 0, true, 0, false,
                ProbeSpec.DEFAULT_SPIKES, 0, 10_000_000L);
        List<Target.Measured> measured = new ArrayList<>();
        List<Integer> recordsDuring = new ArrayList<>();
        Path records = org.vmlat.os.VmlatDirs.state("reservations");
        try (GuestSlot slot = new GuestSlot()) {
            for (int i = 0; i < reservations.length; i++) {
                QemuTarget t = target(dir, "g", settings(1).forScenario(Map.of(QemuSettings.RESERVATION, reservations[i])), slot, warnings);
                if (traced[i]) t.traceKernel();
                t.prepare();
                measured.add(t.measure(null, spec, none, QUIET, new RunControl()));
                recordsDuring.add(ownRecords(records).size());
            }
        }
        List<MeasurementResult> results = measured.stream().map(Target.Measured::result).toList();
        List<String> boots = results.stream().map(r -> r.settings().get(SettingsKeys.GUEST_BOOT)).toList();
        List<String> ids = results.stream().map(r -> r.system().get("guest.boot_id")).toList();
        List<String> clean = results.stream().map(r -> r.settings().get("guest.clean")).toList();
        List<String> applied = results.stream().map(r -> r.settings().get(SettingsKeys.RESERVATION_APPLIED)).toList();
        List<Integer> trips = measured.stream().map(m -> m.kernelTrace().map(k -> k.roundTrips().size()).orElse(-1)).toList();
        List<Integer> marks = new ArrayList<>(), rawTimers = new ArrayList<>(), hashed = new ArrayList<>();
        for (Target.Measured m : measured) {
            int[] c = new int[3];
            if (m.kernelTrace().isPresent()) {
                m.kernelTrace().get().lines(l -> {
                    if (l.contains("tracing_mark_write: vmlat-sync ")) c[0]++;
                    if (l.contains("hrtimer_start: hrtimer=ffff")) c[1]++;
                    if (l.contains("(____ptrval____)")) c[2]++;
                });
            }
            marks.add(c[0]);
            rawTimers.add(c[1]);
            hashed.add(c[2]);
        }
        System.out.printf("ServedGuestTest: traced/reserved: boots %s, boot ids %s, clean %s, applied %s, round trips %s, clock marks %s,"
                + " hrtimer_start with raw addresses %s, hashed %s, restore records after each %s, QEMU processes after close %d, warnings %s%n",
                boots, ids, clean, applied, trips, marks, rawTimers, hashed, recordsDuring, qemus(), warnings);
        assertThat(measured).allSatisfy(m -> assertThat(m.failure()).isNull());
        assertThat(boots).containsExactly("fresh", "reused", "reused");
        assertThat(ids.get(0)).isNotBlank().isNotEqualTo("none");
        assertThat(ids).containsOnly(ids.get(0));
        assertThat(clean).containsOnly("yes");
        assertThat(measured.get(1).kernelTrace()).as("the untraced scenario").isEmpty();
        for (int i : new int[] {0, 2}) {
            KernelTrace k = measured.get(i).kernelTrace().orElseThrow();
            assertThat(k.roundTrips()).as("round trips of scenario " + i).hasSizeGreaterThanOrEqualTo(10);
            assertThat(marks.get(i)).as("clock marks in the trace of scenario " + i).isGreaterThanOrEqualTo(10);
            assertThat(k.hostThreads()).as("QEMU's threads").isNotEmpty();
            assertThat(rawTimers.get(i)).as("hrtimer_start lines with raw addresses").isPositive();
            assertThat(hashed.get(i)).isZero();
        }
        assertThat(results.get(0).settings()).containsEntry(SettingsKeys.RESERVATION, "none").doesNotContainKey(SettingsKeys.RESERVATION_APPLIED);
        assertThat(applied.get(1)).matches("tid \\d+ deadline 2000000/10000000/10000000 ns reset-on-fork");
        assertThat(applied.get(2)).matches("tid \\d+ cgroup /vmlat-reservation-\\d+-\\d+ cpu.cfs_quota_us=5000 cpu.cfs_period_us=10000");
        String group = applied.get(2).replaceAll(".* cgroup (\\S+) .*", "$1");
        assertThat(Path.of("/sys/fs/cgroup/cpu" + group)).as("the CFS scenario's cpu group").doesNotExist();
        assertThat(Path.of("/sys/fs/cgroup" + group)).as("the CFS scenario's cpu group (cgroup v2)").doesNotExist();
        assertThat(recordsDuring).as("restore records of this JVM after each scenario").containsOnly(0);
        assertThat(qemus()).isZero();
    }

    /** Restore records whose owner is this JVM. */
    static List<Path> ownRecords(Path records) throws Exception {
        if (!Files.isDirectory(records)) return List.of();
        try (var files = Files.list(records)) {
            return files.filter(f -> {
                try {
                    return RestoreRecord.read(f).map(r -> r.owner() != null && r.owner().equals(org.vmlat.os.ProcessIdentity.self())).orElse(false);
                } catch (Exception e) {
                    return false;
                }
            }).toList();
        }
    }
}
