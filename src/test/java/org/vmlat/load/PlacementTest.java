package org.vmlat.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementTest {
    @Test
    void planNamesAndWhereEachPartRuns() {
        assertThat(Placement.fromPlan("host")).isEqualTo(Placement.HOST);
        assertThat(Placement.fromPlan("guest")).isEqualTo(Placement.GUEST);
        assertThat(Placement.fromPlan("both")).isEqualTo(Placement.BOTH);
        assertThat(Placement.BOTH.planName()).isEqualTo("both");
        // host: host side only; guest: guest only; both: both sides
        assertThat(Placement.HOST.onHost()).isTrue();
        assertThat(Placement.HOST.inGuest()).isFalse();
        assertThat(Placement.GUEST.onHost()).isFalse();
        assertThat(Placement.GUEST.inGuest()).isTrue();
        assertThat(Placement.BOTH.onHost()).isTrue();
        assertThat(Placement.BOTH.inGuest()).isTrue();
        assertThatThrownBy(() -> Placement.fromPlan("HOST")).hasMessage("expected host, guest or both, got \"HOST\"");
        assertThatThrownBy(() -> new LoadSpec("x", "cpu", List.of(), 0, null)).hasMessageContaining("placement");
    }
}
