package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.FormatException;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.cyclictest.CyclictestCommandLine;

/** The [probe] keys with cyclictest's meanings and the CPUs of a load, as a plan gives them. */
class PlanProbeKeysTest {
    static final List<Integer> CPUS = List.of(0, 1);

    static Plan parse(String text) {
        return PlanFile.parse("plan.toml", text, CPUS);
    }

    static String problems(String text) {
        try {
            parse(text);
        } catch (FormatException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted:\n" + text);
    }

    @Test
    void readsDistanceBreaktraceArgsAndLoadCpus() {
        Plan p = parse("""
                duration = "2s"
                [probe]
                threads = 2
                breaktrace = "500us"
                distance = "0us"
                cyclictest_args = ["--priospread", "--mainaffinity=0"]
                [matrix]
                probe = ["builtin", "cyclictest"]
                interval = ["1ms"]
                load = ["pinned"]
                [[load]]
                name = "pinned"
                preset = "cpu"
                cpus = "1"
                """);
        assertThat(p.probeKeys()).isEqualTo(new Plan.ProbeKeys(0, 500_000, List.of("--priospread", "--mainaffinity=0")));
        assertThat(p.loads().get("pinned").cpus()).containsExactly(1);
        assertThat(p.loads().get("pinned").pinned(List.of("stress-ng", "--cpu", "1"))).containsExactly("taskset", "-c", "1", "stress-ng", "--cpu", "1");
        assertThat(parse("duration = \"2s\"\n[probe]\nthreads = 3\ndistance = \"250us\"\n[matrix]\nprobe = [\"builtin\"]\ninterval = [\"1ms\"]\n")
                .probeKeys().distanceNs()).isEqualTo(250_000);
    }

    @Test
    void theCyclictestCommandLineOfAPlanScenarioCarriesBreaktraceAndTheFurtherArguments() {
        Plan p = parse("""
                duration = "3s"
                [probe]
                threads = 2
                affinity = "0-1"
                breaktrace = "2ms"
                cyclictest_args = ["--priospread", "--latency=10"]
                [matrix]
                probe = ["builtin", "cyclictest"]
                interval = ["500us"]
                priority = [90]
                """);
        List<Scenario> s = Matrix.expand(p);
        ProbeSpec cyclictest = LabRunner.probeSpec(p, s.get(1));
        assertThat(CyclictestCommandLine.command("cyclictest", cyclictest, "r.json")).containsExactly("cyclictest", "-m", "--policy=fifo", "-p90",
                "-i500", "-t2", "-a0-1", "-D3", "-b2000", "-h10000", "--priospread", "--latency=10", "--json=r.json");
        ProbeSpec builtin = LabRunner.probeSpec(p, s.get(0));
        assertThat(builtin.breaktraceNs()).isEqualTo(2_000_000);
        assertThat(builtin.setup().cyclictestArgs()).as("the builtin probe gets no cyclictest arguments").isEmpty();
    }

    @Test
    void badValuesAreRefusedWithFileLineAndField() {
        String out = problems("""
                duration = "2s"
                [probe]
                threads = 2
                distance = "100us"
                breaktrace = 5
                cyclictest_args = ["--priospread", "-D5", "--json=x", "-a0", "--histogram=20"]
                [matrix]
                probe = ["cyclictest"]
                interval = ["1ms"]
                load = ["a", "b", "c"]
                [[load]]
                name = "a"
                preset = "cpu"
                cpus = "0,7"
                [[load]]
                name = "b"
                preset = "cpu"
                cpus = "1-x"
                [[load]]
                name = "c"
                preset = "scheduler"
                placement = "guest"
                cpus = "1"
                """);
        List<String> lines = out.lines().toList();
        System.out.println(lines.size() + " problems:\n" + out);
        assertThat(lines).containsExactlyInAnyOrder(
                "plan.toml:14: load \"a\".cpus: CPU 7 is not online (online: 0-1)",
                "plan.toml:18: load \"b\".cpus: bad CPU list part \"1-x\" (expected e.g. 0-3,6)",
                "plan.toml:23: load \"c\".cpus: pins the load's host side; placement \"guest\" runs it in the guest only",
                "plan.toml:4: probe.distance: " + CyclictestCommandLine.DISTANCE_IGNORED,
                "plan.toml:5: probe.breaktrace: expected a duration with a unit like \"30s\", got 5",
                "plan.toml:6: probe.cyclictest_args[2]: \"-D5\" collides with -D, which vmlat sets itself" + PLAN_KEYS,
                "plan.toml:6: probe.cyclictest_args[3]: \"--json=x\" collides with --json, which vmlat sets itself" + PLAN_KEYS,
                "plan.toml:6: probe.cyclictest_args[4]: \"-a0\" collides with -a, which vmlat sets itself" + PLAN_KEYS,
                "plan.toml:6: probe.cyclictest_args[5]: \"--histogram=20\" collides with --histogram, which vmlat sets itself" + PLAN_KEYS);
    }

    static final String PLAN_KEYS = " (use the plan's keys: duration, matrix.interval, threads, affinity, matrix.priority, policy, histogram, distance, breaktrace)";

    @Test
    void cyclictestArgumentsAndSubMicrosecondTimesAreRefusedWhereCyclictestDoesNotRun() {
        assertThat(problems("""
                duration = "2s"
                [probe]
                cyclictest_args = ["--priospread"]
                [matrix]
                probe = ["builtin"]
                interval = ["1ms"]
                """)).isEqualTo("plan.toml:3: probe.cyclictest_args: applies to the cyclictest probe only; matrix.probe is [builtin]");
        assertThat(problems("""
                duration = "2s"
                [probe]
                breaktrace = "1500ns"
                [matrix]
                probe = ["cyclictest"]
                interval = ["1ms"]
                """)).isEqualTo("plan.toml:3: probe.breaktrace: 1500ns is not whole microseconds, which cyclictest needs");
        assertThat(parse("duration = \"2s\"\n[probe]\nbreaktrace = \"1500ns\"\n[matrix]\nprobe = [\"builtin\"]\ninterval = [\"1ms\"]\n")
                .probeKeys().breaktraceNs()).as("the builtin probe takes any duration").isEqualTo(1500);
    }
}
