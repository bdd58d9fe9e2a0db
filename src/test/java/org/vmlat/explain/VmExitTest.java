package org.vmlat.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The vCPU's time out of guest mode, from kvm_exit/kvm_entry lines recorded on the emulated KVM host (AMD SVM, Debian
 * 6.1: a tracefs instance with trace_clock mono and the events sched_switch, sched_wakeup, kvm_exit, kvm_entry,
 * kvm_msr, while an inner guest ran cyclictest at 1 ms; docs/explain.md has the commands). The fixture is the vCPU
 * thread's (tid 151, named {@code qemu-system-x86}: QEMU ran without thread names) lines of 13 ms of that trace,
 * unchanged.
 */
class VmExitTest {
    private static final Map<Integer, String> VCPU = Map.of(151, "qemu-system-x86");

    private static List<TraceEvent> fixture() throws IOException {
        try (InputStream in = VmExitTest.class.getResourceAsStream("kvm-exits-emulated-host.trace")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(l -> TraceLineParser.parse(l).orElseThrow()).toList();
        }
    }

    private static TraceEvent line(String l) {
        return TraceLineParser.parse(l).orElseThrow();
    }

    private static long ns(String seconds) {
        return line(" x-1 [000] .....   " + seconds + ": kvm_entry: vcpu 0, rip 0x0").tsNs();
    }

    @Test
    void exitReasonsAreReadAsTheHostsKernelPrintsThem() {
        // real lines of the emulated host (AMD); a reason may hold a space
        assertThat(KvmEventLine.exitReason(line(" qemu-system-x86-151     [000] .....    86.685718: kvm_exit: vcpu 0 reason UD excp rip "
                + "0xffffffff8308b5d7 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000"))).isEqualTo("UD excp");
        assertThat(KvmEventLine.exitReason(line(" qemu-system-x86-151     [001] .....    69.818317: kvm_exit: vcpu 0 reason npf rip 0xfff0 info1 "
                + "0x0000000100000014 info2 0x00000000fffffff0 intr_info 0x00000000 error_code 0x00000000"))).isEqualTo("npf");
        // Intel's names come from the same print format (written by it: this machine has no VMX)
        TraceEvent vmx = line("       CPU 0/KVM-2210    [003] .....  5120.002817: kvm_exit: vcpu 0 reason EXTERNAL_INTERRUPT rip 0xffffffff81a592eb "
                + "info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x800000ec error_code 0x00000000");
        assertThat(vmx.comm()).isEqualTo("CPU 0/KVM");
        assertThat(KvmEventLine.exitReason(vmx)).isEqualTo("EXTERNAL_INTERRUPT");
        TraceEvent msr = line(" qemu-system-x86-151     [000] .....   105.646949: kvm_msr: msr_write 6e0 = 0x15a9d27375");
        assertThat(KvmEventLine.withMsr("msr", msr)).isEqualTo("msr write 0x6e0 (TSC deadline)");
        assertThat(KvmEventLine.withMsr("MSR_WRITE", msr)).isEqualTo("MSR_WRITE 0x6e0 (TSC deadline)");
        assertThat(KvmEventLine.exitReason(msr)).isEmpty();
    }

    @Test
    void theVcpusTimeOutOfGuestModeByReasonMatchesTheLinesWorkedOutByHand() throws IOException {
        List<TraceEvent> events = fixture();
        List<VmExit> x = HostSideAnalyzer.exits(events, VCPU, ns("105.646895"), ns("105.660171"));
        // msr writes of the TSC deadline: 73 + 40 + 10468 + 64 + 49 us (the third waited 10.3 ms for kvm_msr: emulation);
        // hlt: 604 + 641 us, and the last from 105.660027 to the trace's end 105.660171 (144 us); vintr 34 us
        assertThat(x).containsExactly(
                new VmExit("qemu-system-x86", 151, "msr write 0x6e0 (TSC deadline)", 5, 10_694_000),
                new VmExit("qemu-system-x86", 151, "hlt", 3, 1_389_000),
                new VmExit("qemu-system-x86", 151, "vintr", 1, 34_000));
        // only the window's overlap: from inside the long msr exit to after the vintr one
        assertThat(HostSideAnalyzer.exits(events, VCPU, ns("105.648700"), ns("105.659300"))).containsExactly(
                new VmExit("qemu-system-x86", 151, "msr write 0x6e0 (TSC deadline)", 1, 10_405_000),
                new VmExit("qemu-system-x86", 151, "vintr", 1, 34_000));
        // another guest's vCPU thread is not this one's
        assertThat(HostSideAnalyzer.exits(events, Map.of(152, "qemu-system-x86"), ns("105.646895"), ns("105.660171"))).isEmpty();
        // the scheduler's view of the same lines is unchanged: halted (asleep) is no cause, woken then waiting is
        assertThat(HostSideAnalyzer.explain(events, VCPU, ns("105.646895"), ns("105.660171")))
                .singleElement().satisfies(c -> {
                    assertThat(c.state()).isEqualTo(HostCause.State.WAITING);
                    assertThat(c.durationNs()).isEqualTo(42_000 + 73_000);
                });
    }

    @Test
    void explainPrintsTheExitsUnderTheSpikeAndOldDocumentsReadWithout() throws IOException {
        List<TraceEvent> events = fixture();
        HostSideAnalyzer.Timeline t = HostSideAnalyzer.timeline(events, VCPU);
        long from = ns("105.646895"), to = ns("105.660171");
        String json = CrossBoundaryJson.write(new ClockAlignment(1_000, 2_000, 5, 0),
                List.of(new CrossBoundary(122, 9_000_000_000L, from, to, t.causesIn(from, to), t.exitsIn(from, to))));
        CrossBoundaryJson.Document d = CrossBoundaryJson.read(json);
        assertThat(d.spikes().get(0).exits()).isEqualTo(t.exitsIn(from, to));
        SpikeExplanation spike = new SpikeExplanation(0, 122, 0, 9_000_000_000L, 1000, false, 9_000_000_800L, 9_000_000_900L, 9_000_001_000L,
                800, 200, 0, 0, List.of(new Cause(Part.TIMER_LATE, Cause.Kind.LATE_TIMER, "timer interrupt late", 0, 120, 800),
                        new Cause(Part.NON_PREEMPTIBLE, Cause.Kind.KERNEL, "probe's timer interrupt", -1, -1, 200)), "");
        assertThat(ExplanationText.hostSide(spike, d)).endsWith(
                "        vCPU thread qemu-system-x86 (tid 151): out of guest mode 12117.0us: msr write 0x6e0 (TSC deadline) 5x 10694.0us, "
                        + "hlt 3x 1389.0us, vintr 1x 34.0us\n");
        // exits print also when no QEMU thread was kept off its CPU
        String onlyExits = CrossBoundaryJson.write(new ClockAlignment(1_000, 2_000, 5, 0),
                List.of(new CrossBoundary(122, 9_000_000_000L, from, to, List.of(), t.exitsIn(from, to))));
        assertThat(ExplanationText.hostSide(spike, CrossBoundaryJson.read(onlyExits)))
                .contains(": none was kept off its CPU\n        vCPU thread qemu-system-x86 (tid 151): out of guest mode 12117.0us: ");
        // a document stored before the exits were kept (format vmlat-explain-host/1 as written then)
        String old = "{\"format\":\"vmlat-explain-host/1\",\"alignment\":{\"offsetNs\":1000,\"errorNs\":2000,\"samples\":5,\"spreadNs\":0},"
                + "\"spikes\":[{\"tid\":122,\"expiresNs\":9000000000,\"fromHostNs\":100,\"toHostNs\":900,\"causes\":[{\"thread\":\"CPU 0/TCG\","
                + "\"tid\":500,\"state\":\"preempted\",\"durationNs\":781000,\"by\":\"hackbench (pid 4711)\"}]}]}";
        CrossBoundaryJson.Document o = CrossBoundaryJson.read(old);
        assertThat(o.spikes().get(0).exits()).isEmpty();
        assertThat(o.spikes().get(0).causes()).singleElement().satisfies(c -> assertThat(c.durationNs()).isEqualTo(781_000));
        assertThat(ExplanationText.hostSide(spike, o)).doesNotContain("out of guest mode");
    }
}
