package org.vmlat.targets.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VcpuReservationTest {
    private static final Path HERE = Path.of("");

    @Test
    void readsDeadlineWithAndWithoutAnExplicitDeadlineInChrtOrder() {
        VcpuReservation r = VcpuReservation.parse("deadline:2ms/10ms", HERE);
        assertThat(r.kind()).isEqualTo(VcpuReservation.Kind.DEADLINE);
        assertThat(new long[] {r.budgetNs(), r.deadlineNs(), r.periodNs()}).containsExactly(2_000_000, 10_000_000, 10_000_000);
        assertThat(r.blackoutNs()).isEqualTo(16_000_000); // 2(Π − Θ)
        assertThat(r.parameters()).isEqualTo("2ms/10ms");
        VcpuReservation e = VcpuReservation.parse("deadline:2ms/5ms/10ms", HERE);
        assertThat(new long[] {e.budgetNs(), e.deadlineNs(), e.periodNs()}).containsExactly(2_000_000, 5_000_000, 10_000_000);
        assertThat(e.blackoutNs()).isEqualTo(11_000_000); // Π + D − 2Θ
        assertThat(e.parameters()).isEqualTo("2ms/5ms/10ms");
        assertThat(VcpuReservation.parse("deadline:500/1000", HERE).budgetNs()).as("a bare number is us").isEqualTo(500_000);
    }

    @Test
    void readsCfsAndNone() {
        VcpuReservation c = VcpuReservation.parse("cfs:3ms/10ms", HERE);
        assertThat(c.kind()).isEqualTo(VcpuReservation.Kind.CFS);
        assertThat(new long[] {c.budgetNs(), c.deadlineNs(), c.periodNs()}).containsExactly(3_000_000, 10_000_000, 10_000_000);
        assertThat(VcpuReservation.parse(" none ", HERE)).isSameAs(VcpuReservation.NONE);
        assertThat(VcpuReservation.NONE.blackoutNs()).isZero();
    }

    @Test
    void designTakesTheBudgetVmlatDesignComputesForThatVm() {
        // vmlat design examples/vms.toml: VM robot (its [[vm]] period 500us), budget 105264ns
        VcpuReservation r = VcpuReservation.parse("design:examples/vms.toml:robot", HERE);
        assertThat(r.kind()).isEqualTo(VcpuReservation.Kind.DEADLINE);
        assertThat(new long[] {r.budgetNs(), r.deadlineNs(), r.periodNs()}).containsExactly(105_264, 500_000, 500_000);
        assertThat(r.written()).isEqualTo("design:examples/vms.toml:robot");
        assertThatThrownBy(() -> VcpuReservation.parse("design:examples/vms.toml:media", HERE))
                .hasMessageContaining("VM \"media\" needs a [[vm]] table with its server period");
        assertThatThrownBy(() -> VcpuReservation.parse("design:examples/vms.toml:nas", HERE))
                .hasMessageContaining("no tasks of VM \"nas\" (it has: robot, media)");
        assertThatThrownBy(() -> VcpuReservation.parse("design:nowhere.toml:robot", HERE)).hasMessageContaining("no VM file nowhere.toml");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "deadline:2ms|expected deadline:RUNTIME/PERIOD or deadline:RUNTIME/DEADLINE/PERIOD",
        "deadline:12ms/10ms|SCHED_DEADLINE needs runtime <= deadline <= period, got 12ms/10ms",
        "deadline:2ms/20ms/10ms|SCHED_DEADLINE needs runtime <= deadline <= period",
        "deadline:2parsecs/10ms|runtime: unknown unit \"parsecs\"",
        "deadline:/10ms|runtime is missing",
        "deadline:100ns/10ms|below SCHED_DEADLINE's least runtime",
        "cfs:2ms/10ms/20ms|expected cfs:QUOTA/PERIOD",
        "cfs:2ms/2s|CFS bandwidth period must be within 1ms..1s",
        "cfs:500us/10ms|CFS quota must be within 1ms..period",
        "cfs:1500500ns/10ms|whole microseconds",
        "fifo:90|expected none, deadline:RUNTIME/PERIOD",
        "design:vms.toml|expected design:VMS.toml:NAME",
    })
    void badValuesSayWhatIsWrong(String value, String message) {
        assertThatThrownBy(() -> VcpuReservation.parse(value, HERE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
