package org.vmlat.targets.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The thread settings a remote QEMU gets, from a fixture of /proc/PID/task/*\/comm as QEMU names its threads. */
class RemoteQemuHostTest {
    /** Two vCPUs, the main loop, an RCU thread and a worker, as {@code -name ...,debug-threads=on} names them. */
    private static final String LISTING = String.join("\n", "4100 qemu-system-x86", "4101 call_rcu", "4103 CPU 0/KVM", "4104 CPU 1/KVM",
            "4107 worker", "");

    private static QemuSettings settings(List<Integer> pin, int vcpuPriority, int qemuPriority) {
        return new QemuSettings("nrt", 2, 256, "kvm", pin, vcpuPriority, qemuPriority, List.of(), 60_000_000_000L, "kvm1");
    }

    @Test
    void qemuPriorityGoesToEveryThreadAndPinningToVcpusByIndex() {
        assertThat(RemoteQemuHost.scheduleScript(LISTING, settings(List.of(1, 3), 0, 90))).isEqualTo(String.join(" && ",
                "chrt -f -p 90 4100", "chrt -f -p 90 4101",
                "taskset -p -c 1 4103 >/dev/null", "chrt -f -p 90 4103",
                "taskset -p -c 3 4104 >/dev/null", "chrt -f -p 90 4104",
                "chrt -f -p 90 4107"));
    }

    @Test
    void vcpuPriorityOnlyTouchesVcpusAndPinningWrapsRoundRobin() {
        assertThat(RemoteQemuHost.scheduleScript(LISTING, settings(List.of(2), 50, 0))).isEqualTo(String.join(" && ",
                "taskset -p -c 2 4103 >/dev/null", "chrt -f -p 50 4103", "taskset -p -c 2 4104 >/dev/null", "chrt -f -p 50 4104"));
    }

    /** Without vCPU threads (QEMU not started, or gone) there is nothing to set: the caller reports it. */
    @Test
    void noVcpuThreadsIsNoScript() {
        assertThat(RemoteQemuHost.scheduleScript("4100 qemu-system-x86\n", settings(List.of(), 0, 90))).isEmpty();
        assertThat(RemoteQemuHost.scheduleScript("", settings(List.of(), 0, 90))).isEmpty();
    }

    /** A TCG guest's vCPU threads are "CPU N/TCG". */
    @Test
    void tcgVcpuThreadsAreVcpusToo() {
        assertThat(RemoteQemuHost.scheduleScript("7 CPU 0/TCG\n", settings(List.of(), 20, 0))).isEqualTo("chrt -f -p 20 7");
    }

    /** The host load waits for the guest's VMLAT-START on its console, then becomes the load itself. */
    @Test
    void hostLoadIsGatedOnTheGuestsProbeStart() {
        assertThat(QemuTarget.gated("/tmp/g/console.log", "VMLAT-START id=3;", List.of("hackbench", "-g", "2"))).containsExactly("sh", "-c",
                "while ! grep -qF \"$1\" \"$0\" 2>/dev/null; do sleep 0.1; done; shift; exec \"$@\"", "/tmp/g/console.log", "VMLAT-START id=3;",
                "hackbench", "-g", "2");
    }
}
