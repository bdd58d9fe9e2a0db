package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.FormatException;
import org.vmlat.targets.qemu.QemuSettings;
import org.vmlat.targets.xen.XenSettings;

class XenPlanTest {
    static final String PLAN = """
            name = "xen"
            duration = "5s"
            [matrix]
            target = ["dom0", "host"]
            probe = ["cyclictest"]
            interval = ["1ms"]
            mode = ["pv", "pvh", "hvm"]
            kernel = ["nrt", "rt"]
            load = ["none", "stress"]
            [[target]]
            name = "dom0"
            kind = "xen"
            host = "xen1.lab"
            port = 2222
            identity = "/keys/id"
            pin = "2,3"
            vcpus = 2
            [[target]]
            name = "host"
            [[load]]
            name = "stress"
            preset = "syscall"
            """;

    static Plan parse(String text) {
        return PlanFile.parse("plan.toml", text, List.of(0, 1));
    }

    @Test
    void xenDimensionsMultiplyXenScenariosOnlyAndShapeTheirTarget() {
        List<Scenario> s = Matrix.expand(parse(PLAN));
        // xen: 3 modes x 2 kernels x 2 loads = 12; the local host: 2 loads, its mode and kernel shown as "-"
        assertThat(s).hasSize(14);
        assertThat(s.stream().filter(x -> x.dims().get("target").equals("host"))).hasSize(2)
                .allMatch(x -> x.dims().get("mode").equals("-") && x.dims().get("kernel").equals("-"));
        Scenario hvmRt = s.stream().filter(x -> "hvm".equals(x.dims().get("mode")) && "rt".equals(x.dims().get("kernel"))).findFirst().orElseThrow();
        assertThat(hvmRt.target().settings(XenSettings.class).mode()).isEqualTo("hvm");
        assertThat(hvmRt.target().settings(XenSettings.class).kernel()).isEqualTo("rt");
        assertThat(hvmRt.target().settings(XenSettings.class).pin()).containsExactly(2, 3);
        assertThat(hvmRt.target().settings(XenSettings.class).ssh().where()).isEqualTo("root@xen1.lab:2222");
        assertThat(hvmRt.target().settings(XenSettings.class).ssh().checkHostKey()).isTrue();
        assertThat(hvmRt.dims().keySet()).containsExactly("target", "kernel", "mode", "probe", "interval", "load", "priority", "repetition");
    }

    @Test
    void theKernelDimensionAlsoShapesQemuGuests() {
        String qemu = """
                duration = "5s"
                [matrix]
                target = ["vm"]
                probe = ["cyclictest"]
                interval = ["1ms"]
                kernel = ["nrt", "rt"]
                [[target]]
                name = "vm"
                kind = "qemu"
                kernel = "nrt"
                """;
        List<Scenario> s = Matrix.expand(parse(qemu));
        assertThat(s).extracting(x -> x.target().settings(QemuSettings.class).kernel()).containsExactly("nrt", "rt");
        assertThat(s).extracting(x -> x.dims().get("kernel")).containsExactly("nrt", "rt");
    }

    @Test
    void theEmulatedDom0TakesNoConnectionSettings() {
        Plan p = parse(PLAN.replace("host = \"xen1.lab\"\nport = 2222\nidentity = \"/keys/id\"\n", "dom0 = \"emulated\"\n"));
        assertThat(p.targets().get("dom0").settings(XenSettings.class).emulated()).isTrue();
        assertThat(p.targets().get("dom0").settings(XenSettings.class).ssh()).isNull();
        assertThat(p.targets().get("dom0").settings(XenSettings.class).bootOnce()).as("boot = \"once\" by default").isTrue();
        assertThatThrownBy(() -> parse(PLAN.replace("host = \"xen1.lab\"", "dom0 = \"emulated\"\nhost = \"x\"")))
                .isInstanceOf(FormatException.class).hasMessageContaining("plan.toml:").hasMessageContaining("leave host out");
    }

    @Test
    void badXenSettingsNameFileLineAndKey() {
        assertThatThrownBy(() -> parse(PLAN.replace("mode = [\"pv\", \"pvh\", \"hvm\"]", "mode = [\"pv\", \"kvm\"]")))
                .hasMessage("plan.toml:7: mode[2]: expected pv, pvh or hvm, got \"kvm\"");
        assertThatThrownBy(() -> parse(PLAN.replace("pin = \"2,3\"", "").replace("load = [\"none\", \"stress\"]", "load = [\"none\"]\nscheduler = [\"credit\"]")))
                .hasMessageContaining("matrix.scheduler").hasMessageContaining("has no pin");
        assertThatThrownBy(() -> parse(PLAN.replace("port = 2222", "port = 70000"))).hasMessageContaining("target \"dom0\".port: expected 1..65535");
        assertThatThrownBy(() -> parse(PLAN.replace("host = \"xen1.lab\"", ""))).hasMessageContaining("target \"dom0\".host: missing");
        assertThatThrownBy(() -> parse(PLAN.replace("vcpus = 2", "vcpus = 2\nqemu_priority = 90"))).hasMessageContaining("does not apply to xen targets");
        assertThatThrownBy(() -> parse(PLAN.replace("vcpus = 2", "vcpus = 2\nboot = \"sometimes\""))).hasMessageContaining("target \"dom0\".boot: expected once or per-scenario");
    }

    @Test
    void xenDimensionsNeedAXenTarget() {
        String local = """
                duration = "5s"
                [matrix]
                interval = ["1ms"]
                mode = ["pv"]
                """;
        assertThatThrownBy(() -> parse(local)).hasMessage("plan.toml:4: matrix.mode: applies to xen targets; this plan has none");
    }

    @Test
    void theShippedXenMatrixParsesIntoTheStudysDesign() throws Exception {
        Plan p = parse(Files.readString(Path.of("examples/xen-matrix.toml")));
        List<Scenario> s = Matrix.expand(p);
        // mode x kernel x Dom0 stress at 1 ms, plus the period sweep (50 us, 500 us) for PV, NRT, no stress
        assertThat(s).hasSize(14);
        assertThat(s.stream().filter(x -> x.intervalNs() != 1_000_000)).hasSize(2).allMatch(x -> x.dims().get("mode").equals("pv")
                && x.dims().get("kernel").equals("nrt") && x.dims().get("load").equals("none"));
        assertThat(s).allMatch(x -> x.target().settings(XenSettings.class).emulated());
    }
}
