package org.vmlat.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClockAlignmentTest {
    @Test
    void theShortestRoundTripGivesTheOffsetAndHalfOfItIsTheBound() {
        // guest clock = host clock + 5 s; the guest marked each number 300, 40 and 1000 us after it was sent
        long offset = 5_000_000_000L;
        List<ClockAlignment.Sample> s = List.of(
                new ClockAlignment.Sample(1_000_000, 1_000_000 + 900_000, 1_000_000 + 300_000 + offset),
                new ClockAlignment.Sample(2_000_000, 2_000_000 + 100_000, 2_000_000 + 40_000 + offset),
                new ClockAlignment.Sample(3_000_000, 3_000_000 + 2_000_000, 3_000_000 + 1_000_000 + offset));
        ClockAlignment a = ClockAlignment.of(s);
        assertThat(a.errorNs()).isEqualTo(50_000);
        // the midpoint of the best trip is 50 us after its send, the mark 40 us: 10 us off, within the bound
        assertThat(a.offsetNs()).isEqualTo(offset - 10_000);
        assertThat(Math.abs(a.offsetNs() - offset)).isLessThanOrEqualTo(a.errorNs());
        assertThat(a.samples()).isEqualTo(3);
        assertThat(a.spreadNs()).isZero();
        assertThat(a.toHostNs(offset + 7_000_000)).isEqualTo(7_000_000 + 10_000);
        assertThat(a.toGuestNs(a.toHostNs(offset + 7_000_000))).isEqualTo(offset + 7_000_000);
    }

    @Test
    void aRoundTripThatDisagreesBeyondBothBoundsShowsAsSpread() {
        List<ClockAlignment.Sample> s = List.of(new ClockAlignment.Sample(0, 100_000, 50_000),
                new ClockAlignment.Sample(10_000_000, 10_100_000, 10_050_000 + 1_000_000));
        assertThat(ClockAlignment.of(s).spreadNs()).isEqualTo(1_000_000 - 50_000 - 50_000);
    }

    @Test
    void noRoundTripNoAlignment() {
        assertThatThrownBy(() -> ClockAlignment.of(List.of())).isInstanceOf(ExplainException.class).hasMessageContaining("no clock round trip");
        assertThatThrownBy(() -> new ClockAlignment.Sample(10, 5, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
