package org.vmlat.sched.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmlat.sched.LatencyModel;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.Task;
import org.vmlat.sched.TaskSet;

class ReservationTest {
    static final long MS = 1_000_000;

    @Test
    void aReservationRejectsABudgetBeyondItsDeadline() {
        assertThatThrownBy(() -> new Reservation("v", 10 * MS, 5 * MS, 6 * MS)).hasMessageContaining("budgetNs").hasMessageContaining("6000000");
        assertThatThrownBy(() -> new Reservation("v", 10 * MS, 11 * MS, MS)).hasMessageContaining("deadlineNs");
        assertThat(new Reservation("v", 10 * MS, 10 * MS, 2 * MS).bandwidth()).isEqualTo(0.2);
    }

    @Test
    void theHostAdmitsUpToItsRealTimeShareExactly() {
        // 0.2 + 0.75 = 0.95 of one CPU: the default sched_rt_runtime_us share, admitted despite rounding
        List<Reservation> fit = List.of(new Reservation("a", 10 * MS, 10 * MS, 2 * MS), new Reservation("b", 4 * MS, 4 * MS, 3 * MS));
        assertThat(new HostAdmission(fit, List.of(), 1, 0.95).admitted()).isTrue();
        List<Reservation> over = List.of(fit.get(0), fit.get(1), new Reservation("c", 100 * MS, 100 * MS, MS));
        HostAdmission h = new HostAdmission(over, List.of(), 1, 0.95);
        assertThat(h.admitted()).isFalse();
        assertThat(h.totalBandwidth()).isCloseTo(0.96, offset(1e-12));
        assertThat(new HostAdmission(over, List.of(), 2, 0.95).admitted()).isTrue();
        assertThat(new HostAdmission(fit, List.of(new HostAdmission.Unserved("c", "needs more than its deadline")), 1, 0.95).admitted()).isFalse();
        assertThatThrownBy(() -> new HostAdmission(fit, List.of(), 0, 0.95)).hasMessageContaining("cpus");
    }

    @Test
    void theMinimumPeriodicBudgetFollowsTheSupplyBoundFunction() {
        // Shin & Lee's PRM: after a blackout of 2(P - Q) the supply grows at rate 1 for Q, so one task
        // C = 1 ms, T = D = 10 ms on a server of period 10 ms needs 10 - 2(10 - Q) >= 1, i.e. Q = 5.5 ms
        TaskSet one = TaskSet.byPriority(List.of(new Task("t", MS, 10 * MS, 10 * MS, 0, 0, 0, "")));
        Reservation r = ReservationDesign.design("", one, Scheduler.FP, 10 * MS, 10 * MS, 0, LatencyModel.JITTER, 0).reservation().orElseThrow();
        assertThat(r.budgetNs()).isEqualTo(5_500_000);
        assertThat(ReservationDesign.design("", one, Scheduler.FP, 10 * MS, 10 * MS, 0, LatencyModel.JITTER, MS).reservation().orElseThrow().budgetNs())
                .isEqualTo(6_500_000);
        List<ReservationDesign.SweepPoint> sweep = ReservationDesign.sweep(one, Scheduler.FP, 10 * MS, 12 * MS, MS, 0, LatencyModel.JITTER, 0);
        assertThat(sweep).extracting(ReservationDesign.SweepPoint::periodNs).containsExactly(10 * MS, 11 * MS, 12 * MS);
        assertThat(ReservationDesign.best(sweep)).isEqualTo(sweep.get(0));
    }
}
