package org.vmlat.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vmlat.os.check.Capabilities;
import org.vmlat.os.check.Finding;
import org.vmlat.os.check.Finding.Level;
import org.vmlat.os.check.SetupChecks;

class SystemFactsReaderTest {
    static SystemFacts read(String tree) throws Exception {
        return new SystemFactsReader(Path.of(SystemFactsReaderTest.class.getResource("/org/vmlat/os/" + tree).toURI())).read();
    }

    static Capabilities granted() {
        return new Capabilities(Optional.empty(), Optional.empty(), Map.of("cyclictest", Optional.of("/usr/bin/cyclictest")), Optional.empty());
    }

    static Finding finding(List<Finding> all, String check) {
        return all.stream().filter(f -> f.check().equals(check)).findFirst().orElseThrow();
    }

    @Test
    void tunedRtHost() throws Exception {
        SystemFacts f = read("rt-host");
        assertThat(f.preemption()).isEqualTo("PREEMPT_RT");
        assertThat(f.realtimeFlag()).isTrue();
        assertThat(f.hz()).contains(1000);
        assertThat(f.noHz()).contains("full");
        assertThat(f.isolatedCpus()).containsExactly(2, 3);
        assertThat(f.nohzFullCpus()).containsExactly(2, 3);
        assertThat(f.rtRuntimeUs()).contains(-1L);
        assertThat(f.governors()).hasSize(4).containsValue("performance");
        assertThat(f.idleStates()).containsExactly("POLL(0us)", "C1(2us)", "C6(85us)");
        assertThat(f.virtualization()).isEqualTo("none");
        assertThat(f.cpuHasVmxOrSvm()).isTrue();
        assertThat(f.kvmModule()).contains("kvm_intel");
        List<Finding> checks = SetupChecks.evaluate(f, granted());
        assertThat(finding(checks, "preemption").level()).isEqualTo(Level.OK);
        assertThat(finding(checks, "RT throttling").level()).isEqualTo(Level.OK);
        assertThat(finding(checks, "isolated CPUs").level()).isEqualTo(Level.OK);
        assertThat(finding(checks, "cpufreq").level()).isEqualTo(Level.OK);
        assertThat(finding(checks, "idle states").level()).isEqualTo(Level.WARN); // C6 at 85 us
        assertThat(finding(checks, "virtualization").finding()).isEqualTo("bare metal");
        assertThat(finding(checks, "KVM").level()).isEqualTo(Level.OK);
        assertThat(checks).noneMatch(x -> x.level() == Level.FAIL);
    }

    @Test
    void pvmGuestLikeThisMachine() throws Exception {
        SystemFacts f = read("pvm-guest");
        assertThat(f.preemption()).isEqualTo("PREEMPT_DYNAMIC");
        assertThat(f.hz()).contains(250); // from /proc/config.gz
        assertThat(f.noHz()).contains("idle");
        assertThat(f.rtRuntimeUs()).contains(950_000L);
        assertThat(f.onlineCpus()).containsExactly(0, 1);
        assertThat(f.isolatedCpus()).isEmpty();
        assertThat(f.virtualization()).isEqualTo("hypervisor (unidentified)");
        assertThat(f.kvmDevice()).isTrue();
        assertThat(f.kvmModule()).contains("kvm_pvm");
        List<Finding> checks = SetupChecks.evaluate(f, granted());
        assertThat(finding(checks, "preemption").level()).isEqualTo(Level.WARN);
        assertThat(finding(checks, "RT throttling").finding()).contains("950000 us every 1000000 us");
        assertThat(finding(checks, "isolated CPUs").level()).isEqualTo(Level.WARN);
        assertThat(finding(checks, "KVM").level()).isEqualTo(Level.WARN);
        assertThat(finding(checks, "KVM").finding()).contains("kvm_pvm").contains("without VMX/SVM");
        assertThat(finding(checks, "KVM").advice()).contains("TCG");
    }

    @Test
    void aKvmTestBootOverridesTheGuessFromFacts() throws Exception {
        SystemFacts f = read("pvm-guest");
        Capabilities failed = new Capabilities(Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), Optional.of("tcg"));
        Finding k = finding(SetupChecks.evaluate(f, failed), "KVM");
        assertThat(k.level()).isEqualTo(Level.WARN);
        assertThat(k.finding()).contains("test boot under KVM failed").contains("kvm_pvm");
        Capabilities works = new Capabilities(Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), Optional.of("kvm"));
        assertThat(finding(SetupChecks.evaluate(f, works), "KVM").level()).isEqualTo(Level.OK);
    }

    @Test
    void refusedPrivilegesAreFailures() throws Exception {
        Capabilities refused = new Capabilities(Optional.of("EPERM (Operation not permitted)"),
                Optional.of("ENOMEM (Cannot allocate memory)"), Map.of("cyclictest", Optional.empty()), Optional.empty());
        List<Finding> checks = SetupChecks.evaluate(read("rt-host"), refused);
        assertThat(finding(checks, "SCHED_FIFO").level()).isEqualTo(Level.FAIL);
        assertThat(finding(checks, "SCHED_FIFO").advice()).contains("CAP_SYS_NICE");
        assertThat(finding(checks, "mlockall").level()).isEqualTo(Level.FAIL);
        assertThat(finding(checks, "tool cyclictest").advice()).isEqualTo("apt-get install rt-tests");
    }

    @Test
    void emptyTreeGivesUnknownsNotGuesses(@org.junit.jupiter.api.io.TempDir Path empty) {
        SystemFacts f = new SystemFactsReader(empty).read();
        assertThat(f.preemption()).isEqualTo("unknown");
        assertThat(f.hz()).isEmpty();
        assertThat(f.clocksource()).isEqualTo("unknown");
        assertThat(f.virtualization()).isEqualTo("none");
        assertThat(SetupChecks.evaluate(f, granted())).isNotEmpty();
    }
}
