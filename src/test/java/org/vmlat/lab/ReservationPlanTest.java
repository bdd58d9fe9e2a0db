package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vmlat.targets.qemu.QemuSettings;
import org.vmlat.targets.reservation.VcpuReservation;

/** The reservation dimension in plans: values, file:line:field errors, values a target cannot take. */
class ReservationPlanTest {
    static final String PLAN = """
            name = "r"
            duration = "5s"

            [matrix]
            target = ["vm"]
            probe = ["cyclictest"]
            interval = ["1ms"]
            load = ["none"]
            reservation = ["none", "deadline:2ms/10ms", "cfs:2ms/10ms", "design:examples/vms.toml:robot"]

            [[target]]
            name = "vm"
            kind = "qemu"
            kernel = "nrt"
            """;

    static Plan parse(String text) {
        return PlanFile.parse("plan.toml", text, List.of(0, 1));
    }

    @Test
    void eachValueShapesItsScenarioOfTheGuest() {
        List<Scenario> s = Matrix.expand(parse(PLAN));
        assertThat(s).extracting(x -> x.dims().get("reservation"))
                .containsExactly("none", "deadline:2ms/10ms", "cfs:2ms/10ms", "design:examples/vms.toml:robot");
        QemuSettings base = (QemuSettings) parse(PLAN).targets().get("vm").settings();
        VcpuReservation designed = base.forScenario(s.get(3).dims()).reservation();
        assertThat(designed.kind()).isEqualTo(VcpuReservation.Kind.DEADLINE);
        assertThat(designed.budgetNs()).isEqualTo(105_264);
        assertThat(base.forScenario(s.get(0).dims()).reservation().isNone()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"cfs:2ms/10ms\"|\"cfs:2ms\"|plan.toml:9: reservation[3]: expected cfs:QUOTA/PERIOD",
        "\"deadline:2ms/10ms\"|\"deadline:20ms/10ms\"|plan.toml:9: reservation[2]: SCHED_DEADLINE needs runtime <= deadline <= period",
        "\"design:examples/vms.toml:robot\"|\"design:examples/vms.toml:media\"|plan.toml:9: reservation[4]: examples/vms.toml: VM \"media\" needs a [[vm]] table",
        "\"none\", |\"nothing\", |plan.toml:9: reservation[1]: expected none, deadline:RUNTIME/PERIOD",
    })
    void badValuesNameFileLineAndField(String good, String bad, String message) {
        assertThatThrownBy(() -> parse(PLAN.replace(good, bad))).hasMessageContaining(message);
    }

    @Test
    void valuesATargetCannotTakeAreRefusedAtTheDimension() {
        assertThatThrownBy(() -> parse(PLAN + "pin = \"1\"\n")).hasMessageContaining("plan.toml:9: matrix.reservation: target \"vm\" pins its vCPU threads")
                .hasMessageContaining("SCHED_DEADLINE refuses a thread whose affinity does not span all CPUs");
        assertThatThrownBy(() -> parse(PLAN.replace(", \"design:examples/vms.toml:robot\"", "").replace("\"deadline:2ms/10ms\", ", "") + "vcpu_priority = 90\n"))
                .hasMessageContaining("plan.toml:9: matrix.reservation: target \"vm\" runs its vCPU threads SCHED_FIFO");
        assertThatThrownBy(() -> parse(PLAN.replace("target = [\"vm\"]", "target = [\"host\"]").replace("""
                [[target]]
                name = "vm"
                kind = "qemu"
                kernel = "nrt"
                """, "[[target]]\nname = \"host\"\nkind = \"local\"\n"))).hasMessageContaining("matrix.reservation: applies to qemu targets; this plan has none");
    }
}
