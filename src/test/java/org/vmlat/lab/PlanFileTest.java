package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vmlat.latency.FormatException;
import org.vmlat.targets.qemu.QemuSettings;
import org.vmlat.targets.xen.XenSettings;

class PlanFileTest {
    static final List<Integer> CPUS = List.of(0, 1);
    static final String PLAN = """
            name = "t"
            duration = "10s"
            warmup = "1s"
            repetitions = 2

            [probe]
            threads = 1
            affinity = "1"

            [matrix]
            probe = ["builtin", "cyclictest"]
            interval = ["1ms", "200us", "50us"]
            load = ["none", "sys"]

            [[load]]
            name = "sys"
            preset = "syscall"

            [[exclude]]
            probe = "cyclictest"
            interval = ["50us"]
            """;

    static Plan parse(String text) {
        return PlanFile.parse("plan.toml", text, CPUS);
    }

    @Test
    void expandsTheCartesianProductMinusExclusions() {
        Plan p = parse(PLAN);
        List<Scenario> s = Matrix.expand(p);
        // 2 probes x 3 intervals x 2 loads x 2 repetitions = 24, minus cyclictest at 50us (2 loads x 2 reps)
        assertThat(s).hasSize(20);
        assertThat(s).noneMatch(x -> x.probe().equals("cyclictest") && x.intervalNs() == 50_000);
        assertThat(s.get(0).dims()).containsExactly(java.util.Map.entry("target", "host"), java.util.Map.entry("probe", "builtin"),
                java.util.Map.entry("interval", "1ms"), java.util.Map.entry("load", "none"), java.util.Map.entry("priority", "95"),
                java.util.Map.entry("repetition", "1"));
        assertThat(s.get(1).dims()).containsEntry("repetition", "2");
        assertThat(s).extracting(Scenario::index).containsExactly(java.util.stream.IntStream.range(0, 20).boxed().toArray(Integer[]::new));
        assertThat(p.durationNs()).isEqualTo(10_000_000_000L);
        assertThat(p.affinity()).containsExactly(1);
        assertThat(p.loads().get("sys").preset()).isEqualTo("syscall");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "duration = \"10s\"|duration = \"10parsecs\"|plan.toml:2: duration: unknown unit",
        "duration = \"10s\"|duration = 10|plan.toml:2: duration: expected a duration with a unit",
        "duration = \"10s\"|duration = \"1500ms\"|plan.toml:2: duration: must be whole seconds",
        "repetitions = 2|repetitions = \"two\"|plan.toml:4: repetitions: expected an integer",
        "threads = 1|thread = 1|plan.toml:7: probe.thread: unknown key",
        "affinity = \"1\"|affinity = \"7\"|plan.toml:8: probe.affinity: CPU 7 is not online",
        "interval = [\"1ms\", \"200us\", \"50us\"]|interval = [\"1ms\", \"2 fortnights\"]|plan.toml:12: interval[2]: unknown unit",
        "interval = [\"1ms\", \"200us\", \"50us\"]|interval = [\"1ms\", \"1500ns\"]|plan.toml:12: matrix.interval: 1500ns is not whole microseconds",
        "load = [\"none\", \"sys\"]|load = [\"none\", \"hog\"]|plan.toml:13: load[2]: unknown load \"hog\"",
        "probe = [\"builtin\", \"cyclictest\"]|probe = [\"builtin\", \"oslat\"]|plan.toml:11: probe[2]: unknown probe \"oslat\"",
        "preset = \"syscall\"|preset = \"nuke\"|plan.toml:17: load \"sys\".preset: unknown preset \"nuke\"",
        "load = [\"none\", \"sys\"]|load = []|plan.toml:13: load: empty list",
        "interval = [\"50us\"]|colour = [\"red\"]|plan.toml:21: exclude.colour: unknown key",
        "interval = [\"50us\"]|interval = [\"70us\"]|plan.toml:21: exclude.interval: \"70us\" is not a value",
    })
    void errorsNameFileLineAndKey(String from, String to, String message) {
        String text = PLAN.replace(from, to);
        assertThat(text).isNotEqualTo(PLAN);
        assertThatThrownBy(() -> parse(text)).isInstanceOf(FormatException.class).hasMessageContaining(message);
    }

    @Test
    void syntaxErrorsAndAnEmptyMatrix() {
        assertThatThrownBy(() -> parse(PLAN.replace("[matrix]", "[matrix"))).hasMessageStartingWith("plan.toml:10: TOML syntax");
        String allOut = PLAN.replace("interval = [\"50us\"]", "load = [\"none\", \"sys\"]").replace("probe = \"cyclictest\"", "repetition = [\"1\", \"2\"]");
        assertThatThrownBy(() -> parse(allOut)).hasMessageContaining("the exclusions leave no scenario");
        assertThatThrownBy(() -> parse(PLAN.replace("[matrix]", "[grid]"))).hasMessageContaining("grid: unknown key");
        assertThatThrownBy(() -> parse("duration = \"1s\"\n")).hasMessageContaining("matrix: missing [matrix] table");
    }

    @Test
    void targetKindsAndTheirSettings() {
        String libvirt = PLAN + "\n[[target]]\nname = \"dom\"\nkind = \"libvirt\"\n";
        // libvirt is a kind now: a table without its domain is refused at its line
        assertThatThrownBy(() -> parse(libvirt)).hasMessageContaining("target \"dom\".domain: missing");
        String xenNoHost = PLAN + "\n[[target]]\nname = \"dom\"\nkind = \"xen\"\n";
        assertThatThrownBy(() -> parse(xenNoHost)).hasMessageContaining("target \"dom\".host: missing");
        String noKernel = PLAN + "\n[[target]]\nname = \"vm\"\nkind = \"qemu\"\n";
        assertThatThrownBy(() -> parse(noKernel)).hasMessageContaining("target \"vm\".kernel: missing");
        String badPrio = PLAN + "\n[[target]]\nname = \"vm\"\nkind = \"qemu\"\nkernel = \"rt\"\nqemu_priority = 120\n";
        assertThatThrownBy(() -> parse(badPrio)).hasMessageContaining("plan.toml:27: target \"vm\".qemu_priority: expected 0..99");
        String localWithKernel = PLAN + "\n[[target]]\nname = \"h\"\nkernel = \"rt\"\n";
        assertThatThrownBy(() -> parse(localWithKernel)).hasMessageContaining("target \"h\".kernel: applies to qemu or xen targets only");
        String guestLoad = PLAN.replace("preset = \"syscall\"", "preset = \"syscall\"\nplacement = \"guest\"");
        assertThatThrownBy(() -> parse(guestLoad)).hasMessageContaining("in a guest only preset = \"scheduler\"");
    }

    @Test
    void theExamplesParse() throws Exception {
        Plan quick = PlanFile.parse("quickstart", Files.readString(Path.of("examples/quickstart.toml")), CPUS);
        // 12 on this machine four times each (stress vs no stress over repetitions), one QEMU guest, one Xen guest
        assertThat(Matrix.expand(quick)).hasSize(12 * 4 + 2);
        assertThat(Matrix.expand(quick)).filteredOn(x -> !x.target().kind().name().equals("local")).allMatch(x -> x.repetition() == 1);
        assertThat(Matrix.expand(quick)).filteredOn(x -> x.target().kind().name().equals("xen")).singleElement()
                .satisfies(x -> assertThat(x.target().settings(XenSettings.class).emulated()).isTrue());
        Plan vm = PlanFile.parse("vm", Files.readString(Path.of("examples/vm-matrix.toml")), CPUS);
        List<Scenario> s = Matrix.expand(vm);
        assertThat(s).hasSize(4 * 3 * 3 + 3);
        assertThat(s).filteredOn(x -> x.target().kind().name().equals("qemu")).allMatch(x -> x.probe().equals("cyclictest"));
        assertThat(vm.targets().get("rt-fifo").settings(QemuSettings.class).qemuPriority()).isEqualTo(90);
    }

    @Test
    void explainTracesFromTheThresholdOrA100usDefault() {
        assertThat(parse(PLAN).explain()).isFalse();
        assertThat(parse(PLAN).traceThresholdNs()).isZero();
        assertThat(parse(PLAN.replace("threads = 1", "threads = 1\nexplain = true")).traceThresholdNs()).isEqualTo(100_000);
        assertThat(parse(PLAN.replace("threads = 1", "threads = 1\ntrace_threshold = \"250us\"")).traceThresholdNs()).isEqualTo(250_000);
        assertThat(parse(PLAN.replace("threads = 1", "threads = 1\nexplain = false\ntrace_threshold = \"250us\"")).explain()).isFalse();
        assertThatThrownBy(() -> parse(PLAN.replace("threads = 1", "threads = 1\nexplain = \"yes\"")))
                .hasMessageContaining("probe.explain: expected true or false");
    }
}
