package org.vmlat.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;

class ReservationPredictionTest {
    private static ScenarioRecord scenario(int index, String reservation, String repetition, long budget, long deadline, long period, long maxNs) {
        Map<String, String> dims = new LinkedHashMap<>();
        dims.put("target", "guest");
        dims.put("reservation", reservation);
        dims.put("repetition", repetition);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(SettingsKeys.RESERVATION, reservation);
        if (budget > 0) {
            settings.put(SettingsKeys.RESERVATION_KIND, reservation.startsWith("cfs") ? "cfs" : "deadline");
            settings.put(SettingsKeys.RESERVATION_BUDGET_NS, Long.toString(budget));
            settings.put(SettingsKeys.RESERVATION_DEADLINE_NS, Long.toString(deadline));
            settings.put(SettingsKeys.RESERVATION_PERIOD_NS, Long.toString(period));
        }
        ThreadSummary t = new ThreadSummary(0, 0, 1_000_000, 1000, 5000, 1000, maxNs, 5000L * 2000, 0, 0, 2000, 3000, 4000, maxNs / 2, maxNs);
        return new ScenarioRecord(index, 1, index, dims, ScenarioStatus.DONE, null, 0, 0, 5_000_000_000L, "", "", settings, List.of(), true, List.of(t));
    }

    static final List<ScenarioRecord> RUN = List.of(
            scenario(0, "none", "1", 0, 0, 0, 300_000),
            scenario(1, "none", "2", 0, 0, 0, 500_000),
            scenario(2, "deadline:2ms/10ms", "1", 2_000_000, 10_000_000, 10_000_000, 10_000_000),
            scenario(3, "deadline:2ms/10ms", "2", 2_000_000, 10_000_000, 10_000_000, 20_000_000),
            scenario(4, "deadline:2ms/5ms/10ms", "1", 2_000_000, 5_000_000, 10_000_000, 11_300_000),
            scenario(5, "deadline:8ms/10ms", "3", 8_000_000, 10_000_000, 10_000_000, 1_000_000));

    @Test
    void boundIsTheBlackoutPlusTheSameRepetitionsMaximumWithoutReservation() {
        List<ReservationPrediction.Row> rows = ReservationPrediction.rows(RUN);
        assertThat(rows).extracting(ReservationPrediction.Row::blackoutNs).containsExactly(16_000_000L, 16_000_000L, 11_000_000L, 4_000_000L);
        assertThat(rows).extracting(ReservationPrediction.Row::baselineNs).containsExactly(300_000L, 500_000L, 300_000L, -1L);
        assertThat(rows).extracting(ReservationPrediction.Row::boundNs).containsExactly(16_300_000L, 16_500_000L, 11_300_000L, -1L);
        assertThat(rows).extracting(ReservationPrediction.Row::verdict)
                .containsExactly("inside", "VIOLATED", "inside", "no baseline (add reservation \"none\")");
        assertThat(rows.get(2).tightness()).as("exactly on the bound").isEqualTo(1.0);
        assertThat(rows.get(0).p999Ns()).isEqualTo(5_000_000);
    }

    @Test
    void textCountsTheScenariosInsideAndFlagsViolations() {
        String t = ReservationPrediction.text(ReservationPrediction.rows(RUN));
        assertThat(t).contains("\n       4  deadline:2ms/10ms      20%   16000.0     500.0  16500.0  20000.0  10000.0       1.21  VIOLATED\n")
                .contains("2 of 3 reserved scenarios with a baseline stayed inside the predicted bound.\n");
        assertThat(ReservationPrediction.text(ReservationPrediction.rows(RUN.subList(0, 2)))).isEmpty();
    }

    @Test
    void theSweepChartNeedsTwoBandwidthsWithABound() {
        assertThat(ReservationPrediction.chart(ReservationPrediction.rows(RUN.subList(0, 4)))).isNull();
        List<ScenarioRecord> sweep = List.of(RUN.get(0), RUN.get(2), scenario(6, "deadline:8ms/10ms", "1", 8_000_000, 10_000_000, 10_000_000, 900_000));
        String svg = ReservationPrediction.chart(ReservationPrediction.rows(sweep)).svg();
        assertThat(svg).contains("measured max").contains("predicted bound").contains("budget Θ/Π (%)");
    }
}
