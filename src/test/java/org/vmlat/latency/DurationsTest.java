package org.vmlat.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({"50us,50000", "1ms,1000000", "10s,10000000000", "5m,300000000000", "2h,7200000000000",
            "1.5ms,1500000", "200,200000", "250ns,250", "7µs,7000", "1d,86400000000000"})
    void parsesUnits(String text, long ns) {
        assertThat(Durations.parseNs(text, Durations.Unit.US)).isEqualTo(ns);
    }

    @Test
    void bareNumberTakesTheDefaultUnit() {
        assertThat(Durations.parseNs("10", Durations.Unit.S)).isEqualTo(10_000_000_000L);
    }

    @Test
    void rejectsUnknownUnitsAndFractionsOfNanoseconds() {
        assertThatThrownBy(() -> Durations.parseNs("5parsecs", Durations.Unit.S)).hasMessageContaining("unknown unit \"parsecs\"");
        assertThatThrownBy(() -> Durations.parseNs("1.5ns", Durations.Unit.S)).hasMessageContaining("whole number of nanoseconds");
        assertThatThrownBy(() -> Durations.parseNs("-1ms", Durations.Unit.S)).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Durations.parseNs("", Durations.Unit.S)).hasMessageContaining("not a duration");
    }

    @Test
    void formatIsTheShortestExactForm() {
        assertThat(Durations.format(1_000_000)).isEqualTo("1ms");
        assertThat(Durations.format(1_500)).isEqualTo("1500ns");
        assertThat(Durations.format(90_000_000_000L)).isEqualTo("90s");
        assertThat(Durations.format(50_000)).isEqualTo("50us");
    }
}
