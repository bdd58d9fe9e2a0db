package org.vmlat.targets.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.latency.StopReason;

/** A machine that says it is emulated has its figures marked as the reports read them; hardware is left alone. */
class SshEmulationMarkTest {
    private static final MeasurementResult R = new MeasurementResult("cyclictest", Map.of("interval_ns", "1000000"), Map.of("kernel.release", "6.1"),
            false, List.of(), 1000L, 2000L, -1L, StopReason.COMPLETED, Optional.empty(), List.of("an earlier warning"));

    @Test
    void hardwareIsLeftAsItIs() {
        assertThat(SshTarget.markedEmulated(R, "")).isSameAs(R);
    }

    @Test
    void anEmulatedMachineMarksTheSettingAndWarns() {
        MeasurementResult m = SshTarget.markedEmulated(R, "QEMU full emulation (TCG) with nested SVM");
        assertThat(m.settings()).containsEntry(SettingsKeys.EMULATED, "QEMU full emulation (TCG) with nested SVM").containsEntry("interval_ns", "1000000");
        assertThat(m.warnings()).containsExactly("an earlier warning",
                "EMULATED: QEMU full emulation (TCG) with nested SVM: these figures measure emulation, not hardware");
        assertThat(m.system()).isEqualTo(R.system());
        assertThat(m.startEpochMs()).isEqualTo(1000L);
        assertThat(SettingsKeys.EMULATED).isEqualTo("emulated");
    }
}
