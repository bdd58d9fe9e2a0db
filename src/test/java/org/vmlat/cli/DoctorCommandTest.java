package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.os.Executables;
import org.vmlat.os.check.FakeTree;

class DoctorCommandTest {
    @TempDir
    Path dir;

    static List<String> checks(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.get("findings").forEach(f -> names.add(f.get("check").asText()));
        return names;
    }

    @Test
    void handRunChecksAppearInJsonWithTheMeasuringCpusAndPriorityGiven() throws Exception {
        new FakeTree(dir).file("sys/devices/system/cpu/online", "0-3")
                .file("proc/sys/kernel/osrelease", "6.1.0-27-rt-amd64")
                .process(61, "irq/30-eth0", 1, 96, "2-3")
                .process(812, "irqbalance", 0, 0, "0-3")
                .file("sys/kernel/mm/transparent_hugepage/enabled", "[always] madvise never")
                .file("proc/sys/kernel/nmi_watchdog", "1");
        CliTest.Run r = CliTest.run("doctor", "--root", dir.toString(), "--json", "-a", "2-3", "-p", "95");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(checks(json)).contains("IRQ threads", "SMT siblings", "irqbalance", "transparent hugepages", "nmi_watchdog",
                "timer_migration", "tuned profile", "cpu_dma_latency", "guest vCPUs");
        JsonNode irq = find(json, "IRQ threads");
        assertThat(irq.get("level").asText()).isEqualTo("WARN");
        assertThat(irq.get("finding").asText()).isEqualTo("1 of 1 IRQ threads on CPUs 2-3 at or above the probe's FIFO 95: irq/30-eth0 (pid 61, FIFO 96 outranks, CPUs 2-3)");
        assertThat(find(json, "irqbalance").get("finding").asText()).isEqualTo("running (pid 812)");
        assertThat(find(json, "transparent hugepages").get("level").asText()).isEqualTo("WARN");

        CliTest.Run higher = CliTest.run("doctor", "--root", dir.toString(), "-a", "2-3", "-p", "97");
        assertThat(higher.out()).containsPattern("OK +IRQ threads +1 IRQ threads may run on CPUs 2-3, highest FIFO 96 < the probe's 97");
    }

    @Test
    void badScopeIsAUsageError() {
        CliTest.Run r = CliTest.run("doctor", "--root", dir.toString(), "-p", "0");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("-p/--priority: expected 1..99, got 0");
        CliTest.Run cpus = CliTest.run("doctor", "--root", dir.toString(), "-a", "two");
        assertThat(cpus.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(cpus.err()).contains("-a/--affinity");
    }

    /** Whatever a previous run cached, --kvm-test boots a guest now: a QEMU pid of this call, and JSON still parses. */
    @Test
    void kvmTestBootsAGuestEveryTime() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/kvm")) && Executables.which("qemu-system-x86_64").isPresent(), "no /dev/kvm or QEMU here");
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            CliTest.Run r = CliTest.run("doctor", "--kvm-test", "--json");
            JsonNode boot = new ObjectMapper().readTree(r.out()).get("kvm_test_boot");
            assertThat(boot).as(r.out() + r.err()).isNotNull();
            System.out.println("kvm test boot " + i + ": " + boot);
            assertThat(boot.get("qemu_pid").asLong()).isPositive();
            assertThat(boot.get("answer").asText()).isIn("kvm", "tcg");
            assertThat(r.err()).contains("# test boot: QEMU pid " + boot.get("qemu_pid").asLong());
            pids.add(boot.get("qemu_pid").asLong());
        }
        assertThat(pids.get(1)).as("the second call, with an answer cached by the first, boots again").isNotEqualTo(pids.get(0));
    }

    static JsonNode find(JsonNode json, String check) {
        for (JsonNode f : json.get("findings")) if (f.get("check").asText().equals(check)) return f;
        throw new AssertionError("no finding " + check);
    }
}
