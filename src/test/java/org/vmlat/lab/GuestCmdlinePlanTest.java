package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vmlat.targets.qemu.QemuSettings;
import org.vmlat.targets.xen.XenSettings;

/** The guest_cmdline dimension in plans: each value shapes its scenario of qemu and xen guests; bad values by file:line:field. */
class GuestCmdlinePlanTest {
    static final String PLAN = """
            name = "slop"
            duration = "5s"

            [matrix]
            target = ["vm", "xen"]
            probe = ["cyclictest"]
            interval = ["200us", "1ms"]
            load = ["none"]
            guest_cmdline = ["", "xen_timer_slop=0", "  nohz=off   idle=poll "]

            [[target]]
            name = "vm"
            kind = "qemu"
            kernel = "nrt"

            [[target]]
            name = "xen"
            kind = "xen"
            dom0 = "emulated"
            mode = "pv"
            """;

    static Plan parse(String text) {
        return PlanFile.parse("plan.toml", text, List.of(0, 1));
    }

    @Test
    void eachValueShapesItsScenarioOfBothKinds() {
        Plan plan = parse(PLAN);
        List<Scenario> s = Matrix.expand(plan);
        assertThat(s).hasSize(12);
        assertThat(s).extracting(x -> x.dims().get("guest_cmdline")).containsOnly("", "xen_timer_slop=0", "nohz=off idle=poll");
        for (Scenario x : s) {
            String want = x.dims().get("guest_cmdline");
            Plan.TargetSpec t = plan.targets().get(x.dims().get("target")).forScenario(x.dims());
            String got = t.settings() instanceof QemuSettings q ? q.guestCmdline() : t.settings(XenSettings.class).guestCmdline();
            assertThat(got).as(x.dims().toString()).isEqualTo(want);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"xen_timer_slop=0\"|\"a=\\\"b\\\"\"|plan.toml:9: guest_cmdline[2]: contains a double quote",
        "\"xen_timer_slop=0\"|'\"it''s\"'|plan.toml:9: guest_cmdline[2]: contains a single quote",
        "\"xen_timer_slop=0\"|\"a\\\\b\"|plan.toml:9: guest_cmdline[2]: contains a backslash",
        "\"xen_timer_slop=0\"|\"quiet vmlat.serve=1\"|plan.toml:9: guest_cmdline[2]: \"vmlat.serve=1\": vmlat.* parameters are vmlat's own",
        "\"xen_timer_slop=0\"|\"x -- y\"|plan.toml:9: guest_cmdline[2]: \"--\" would hand",
        "\"\", |\"a\\nb\", |plan.toml:9: guest_cmdline[1]: contains the control character U+000A",
    })
    void badValuesNameFileLineAndField(String good, String bad, String message) {
        String text = PLAN.replace(good, bad);
        assertThat(text).isNotEqualTo(PLAN);
        assertThatThrownBy(() -> parse(text)).hasMessageContaining(message);
    }

    @Test
    void aPlanWithoutGuestsIsToldWhichKindsTakeIt() {
        String text = PLAN.substring(0, PLAN.indexOf("[[target]]")).replace("target = [\"vm\", \"xen\"]", "target = [\"host\"]")
                .replace("probe = [\"cyclictest\"]", "probe = [\"builtin\"]") + "[[target]]\nname = \"host\"\nkind = \"local\"\n";
        assertThatThrownBy(() -> parse(text)).hasMessageContaining("matrix.guest_cmdline: applies to qemu and xen targets; this plan has none");
    }
}
