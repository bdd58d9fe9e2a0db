package org.vmlat.targets.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.os.ProcessIdentity;
import org.vmlat.os.ThreadScheduling.OfThread;
import org.vmlat.targets.ssh.SshSettings;

/** The libvirt kind's parsers and records, against exact fixtures. */
class LibvirtPartsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void virshPinningTablesAsVirsh9PrintsThem() {
        // virsh -q vcpupin DOM --live, and virsh -q emulatorpin DOM --live (with and without the header row's "*:")
        assertThat(Virsh.vcpuPins(" 0      1\n 1      0-1\n 2      0,2-3\n")).isEqualTo(Map.of(0, List.of(1), 1, List.of(0, 1), 2, List.of(0, 2, 3)));
        assertThat(Virsh.emulatorPin("       *: 0-1\n")).containsExactly(0, 1);
        assertThat(Virsh.emulatorPin(" 0-1\n")).containsExactly(0, 1);
        assertThatThrownBy(() -> Virsh.vcpuPins("error: no domain\n")).hasMessageContaining("printed no vCPU");
    }

    @Test
    void vcpuThreadsFromQueryCpusFast() throws Exception {
        String reply = """
                [{"thread-id": 4711, "props": {"core-id": 0, "thread-id": 0, "socket-id": 0}, "qom-path": "/machine/unattached/device[0]",
                  "cpu-index": 0, "target": "x86_64"},
                 {"thread-id": 4712, "props": {"core-id": 0, "thread-id": 0, "socket-id": 1}, "qom-path": "/machine/unattached/device[1]",
                  "cpu-index": 1, "target": "x86_64"}]""";
        assertThat(Virsh.vcpuThreads(JSON.readTree(reply))).isEqualTo(Map.of(0, 4711, 1, 4712));
        assertThatThrownBy(() -> Virsh.vcpuThreads(JSON.readTree("[]"))).hasMessageContaining("no vCPU");
    }

    @Test
    void threadRolesAreVcpuIoThreadAndTheRestEmulator() {
        DomainThreads t = DomainThreads.of(new ProcessIdentity(100, 5), Map.of(0, 103, 1, 104), List.of(105), List.of(100, 101, 102, 103, 104, 105));
        assertThat(t.emulator()).containsExactly(100, 101, 102);
        assertThat(t.roles()).isEqualTo(Map.of(100, "emulator", 101, "emulator", 102, "emulator", 103, "vcpu0", 104, "vcpu1", 105, "iothread"));
    }

    @Test
    void guestExecRequestAndStatusAsTheAgentSpeaksThem() throws Exception {
        assertThat(JSON.readTree(GuestAgentRunner.execJson(List.of("cyclictest", "-m", "--json=/tmp/a b.json"))))
                .isEqualTo(JSON.readTree("{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"cyclictest\",\"arg\":[\"-m\",\"--json=/tmp/a b.json\"],"
                        + "\"capture-output\":true}}"));
        assertThat(GuestAgentRunner.status(JSON.readTree("{\"exited\":false}"))).isEqualTo(new GuestAgentRunner.Status(false, -1, "", ""));
        // "aGVsbG8K" is "hello\n", "b29wcw==" is "oops"
        assertThat(GuestAgentRunner.status(JSON.readTree("{\"exitcode\":3,\"out-data\":\"aGVsbG8K\",\"err-data\":\"b29wcw==\",\"exited\":true}")))
                .isEqualTo(new GuestAgentRunner.Status(true, 3, "hello\n", "oops"));
        assertThat(GuestAgentRunner.status(JSON.readTree("{\"exited\":true,\"signal\":15}")).exitCode()).isEqualTo(128 + 15);
    }

    @Test
    void aRestoreRecordReadsBackWhatWasWritten(@TempDir Path dir) throws Exception {
        RestoreRecord r = new RestoreRecord("qemu:///system", "rt guest", new ProcessIdentity(4242, 777), Map.of(0, List.of(0, 1)), List.of(0, 1),
                Map.of(4243, new OfThread(0, 0, List.of(0, 1)), 4244, new OfThread(2, 7, List.of(1))), Map.of(4243, "/machine/rt.libvirt-qemu/vcpu0"));
        Path f = RestoreRecord.file(dir, r.uri(), r.domain());
        assertThat(f.getFileName().toString()).isEqualTo("qemu_system--rt_guest.restore");
        r.write(f);
        assertThat(Files.readString(f)).isEqualTo("""
                vmlat-libvirt-restore 1
                uri qemu:///system
                domain rt guest
                qemu 4242-777
                vcpupin 0 0-1
                emulatorpin 0-1
                thread 4243 0 0 0-1
                thread 4244 2 7 1
                cgroup 4243 /machine/rt.libvirt-qemu/vcpu0
                """);
        assertThat(RestoreRecord.read(f)).contains(r);
        assertThat(RestoreRecord.read(dir.resolve("none"))).isEmpty();
        assertThatThrownBy(() -> RestoreRecord.parse("x.restore", "vmlat-libvirt-restore 1\nuri u\ndomain d\nqemu 1-2\nthread 5 0 x 0\n"))
                .hasMessageStartingWith("x.restore:5: ");
        assertThatThrownBy(() -> RestoreRecord.parse("x.restore", "something else\n")).hasMessageStartingWith("x.restore:1: ");
        assertThatThrownBy(() -> new RestoreRecord("u", "d", null, Map.of(), List.of(), Map.of(1, new OfThread(0, 0, List.of(0))), Map.of()))
                .hasMessageContaining("qemu: thread settings need the process");
        assertThatThrownBy(() -> new RestoreRecord("u", "d", new ProcessIdentity(1, 1), Map.of(), List.of(), Map.of(), Map.of(1, "/a/../b")))
                .hasMessageContaining("cgroups:");
    }

    @Test
    void scenarioValuesShapeTheSettings() {
        LibvirtSettings base = new LibvirtSettings("qemu:///system", "vm", "agent", null, "cyclictest", List.of(), null, 0, List.of(), 0);
        assertThat(base.tunes()).isFalse();
        LibvirtSettings fifo = base.forScenario(Map.of("vcpu_sched", "fifo", "vcpu_priority", "90", "vcpu_pin", "1", "emulator_priority", "5"));
        assertThat(fifo.vcpuScheduler()).isEqualTo(VcpuScheduler.FIFO);
        assertThat(fifo.vcpuPriority()).isEqualTo(90);
        assertThat(fifo.vcpuPin()).containsExactly(1);
        assertThat(fifo.emulatorPriority()).isEqualTo(5);
        // the priority belongs to fifo and rr: "asis" and other ignore it
        assertThat(base.forScenario(Map.of("vcpu_sched", "asis", "vcpu_priority", "90")).vcpuScheduler()).isNull();
        assertThat(base.forScenario(Map.of("vcpu_sched", "batch", "vcpu_priority", "90")).vcpuPriority()).isZero();
        // a priority alone means fifo
        assertThat(base.forScenario(Map.of("vcpu_priority", "10")).vcpuScheduler()).isEqualTo(VcpuScheduler.FIFO);
        assertThatThrownBy(() -> base.forScenario(Map.of("vcpu_sched", "rr"))).hasMessageContaining("needs vcpu_priority 1..99");
        // priorities are set through the threads on this machine: a remote libvirt takes pinning only
        LibvirtSettings remote = new LibvirtSettings("qemu+ssh://root@kvm/system", "vm", "agent", null, "cyclictest", List.of(1), null, 0, List.of(), 0);
        assertThat(remote.local()).isFalse();
        assertThat(remote.matrixProblem("vcpu_sched", List.of("fifo"))).contains("remote libvirt");
        assertThat(remote.matrixProblem("vcpu_pin", List.of("1"))).isNull();
        assertThatThrownBy(() -> new LibvirtSettings("qemu+ssh://root@kvm/system", "vm", "agent", null, "cyclictest", List.of(), null, 0, List.of(), 5))
                .hasMessageContaining("remote libvirt");
        assertThat(LibvirtSettings.local("qemu:///system?socket=/tmp/s/libvirt-sock")).isTrue();
        // probe "ssh" goes with the guest's address, and only it
        assertThatThrownBy(() -> new LibvirtSettings("qemu:///system", "vm", "ssh", null, "cyclictest", List.of(), null, 0, List.of(), 0))
                .hasMessageContaining("needs the guest's host");
        SshSettings guest = new SshSettings("10.0.0.5", 22, "root", null, null, true);
        assertThatThrownBy(() -> new LibvirtSettings("qemu:///system", "vm", "agent", guest, "cyclictest", List.of(), null, 0, List.of(), 0))
                .hasMessageContaining("with host root@10.0.0.5:22");
        assertThat(new LibvirtSettings("qemu:///system", "vm", "ssh", guest, "cyclictest", List.of(), null, 0, List.of(), 0)
                .forScenario(Map.of("vcpu_pin", "1")).guestSsh()).isEqualTo(guest);
    }
}
