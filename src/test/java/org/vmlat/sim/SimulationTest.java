package org.vmlat.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.Task;
import org.vmlat.sched.TaskSet;
import org.vmlat.sched.gen.TaskSetGenerator;

class SimulationTest {
    private static final long MS = 1_000_000;

    /** tau1 = (C 1, T 3) above tau2 = (C 3, T 5), implicit deadlines, in ms. */
    private static TaskSet twoTasks() {
        return new TaskSet(List.of(Task.of("tau1", 1 * MS, 3 * MS), Task.of("tau2", 3 * MS, 5 * MS)));
    }

    private static Segment seg(String task, long job, long fromMs, long toMs) {
        return new Segment(task, job, fromMs * MS, toMs * MS);
    }

    /**
     * The study's example, worked by hand. Releases are drawn in the order tau1#0, tau2#0 (t=0),
     * tau1#1 (t=3), ...; the sequence delays only tau1#1, by 2 ms.
     *
     * Theoretical (no latency): tau1#0 0-1, tau2#0 1-3, tau1#1 3-4, tau2#0 4-5 (R = 5 = D), tau2#1 5-6,
     * tau1#2 6-7, tau2#1 7-9 (R = 4), tau1#3 9-10, tau2#2 10-12, tau1#4 12-13, tau2#2 13-14. No miss.
     *
     * Actual: tau1#0 0-1, tau2#0 1-4 (R = 4), idle 4-5, tau1#1 ready at 5 runs 5-6 (R = 3 = D, on time),
     * tau1#2 6-7, tau2#1 7-9, tau1#3 9-10, tau2#1 10-11: completes at 11 after its deadline 10 (R = 6),
     * tau2#2 11-12, tau1#4 12-13, tau2#2 13-15 (R = 5 = D). One miss: tau2's second job.
     */
    @Test
    void lateSecondJobOfTau1MakesTau2MissItsSecondDeadline() {
        long[] seq = new long[100];
        seq[2] = 2 * MS;
        SimulationResult r = Simulation.run(new Simulation.Setup(twoTasks(), Scheduler.FP, Optional.empty(), 15 * MS, 1),
                LatencySource.sequence(seq));
        assertEquals(Optional.of(new SimulationResult.Miss("tau2", 1, 5 * MS, 10 * MS)), r.firstMiss());
        assertEquals(0, r.windowStartNs());
        assertEquals(15 * MS, r.windowEndNs());
        assertEquals(List.of(seg("tau1", 0, 0, 1), seg("tau2", 0, 1, 4), seg("tau1", 1, 5, 6), seg("tau1", 2, 6, 7),
                seg("tau2", 1, 7, 9), seg("tau1", 3, 9, 10), seg("tau2", 1, 10, 11), seg("tau2", 2, 11, 12),
                seg("tau1", 4, 12, 13), seg("tau2", 2, 13, 15)), r.actual());
        assertEquals(List.of(seg("tau1", 0, 0, 1), seg("tau2", 0, 1, 3), seg("tau1", 1, 3, 4), seg("tau2", 0, 4, 5),
                seg("tau2", 1, 5, 6), seg("tau1", 2, 6, 7), seg("tau2", 1, 7, 9), seg("tau1", 3, 9, 10),
                seg("tau2", 2, 10, 12), seg("tau1", 4, 12, 13), seg("tau2", 2, 13, 14)), r.theoretical());
        TaskOutcome tau1 = r.tasks().get(0), tau2 = r.tasks().get(1);
        assertEquals(5, tau1.jobs());
        assertEquals(0, tau1.misses());
        assertEquals(3 * MS, tau1.maxResponseNs());
        assertEquals(3, tau2.jobs());
        assertEquals(1, tau2.misses());
        assertEquals(6 * MS, tau2.maxResponseNs());
        assertEquals(2 * MS, r.maxDrawnNs());
        // RTA with J = 2 ms on both: tau1 R = 1 + 2 = 3; tau2 w = 3 + ceil((w + 2)/3) * 1 -> w = 6, R = 8
        assertEquals(3 * MS, tau1.boundNs());
        assertEquals(8 * MS, tau2.boundNs());
    }

    /**
     * A fixed latency delays every job alike: the schedule shifts by L and every response grows by L.
     * With L = 1 ms, tau2#0 (R = 5 without latency) completes at 6 > 5: the first miss.
     */
    @Test
    void fixedLatencyShiftsTheWholeSchedule() {
        SimulationResult r = Simulation.run(new Simulation.Setup(twoTasks(), Scheduler.FP, Optional.empty(), 15 * MS, 7),
                LatencySource.fixed(1 * MS));
        assertEquals(Optional.of(new SimulationResult.Miss("tau2", 0, 0, 5 * MS)), r.firstMiss());
        assertEquals(List.of(seg("tau1", 0, 1, 2), seg("tau2", 0, 2, 4), seg("tau1", 1, 4, 5), seg("tau2", 0, 5, 6),
                seg("tau2", 1, 6, 7), seg("tau1", 2, 7, 8), seg("tau2", 1, 8, 10)), r.actual().subList(0, 7));
        assertEquals(2 * MS, r.tasks().get(0).maxResponseNs());
        assertEquals(6 * MS, r.tasks().get(1).maxResponseNs());
    }

    /**
     * EDF and a server, by hand. EDF on tau1 = (C 2, T 4), tau2 = (C 3, T 6), U = 1: at 0 tau1 (d 4)
     * 0-2, tau2 (d 6) 2-4, at 4 tau1#1 (d 8) vs tau2#0 (d 6): tau2 4-5 (R = 5), tau1#1 5-7, tau2#1 (d 12)
     * 7-8, tau1#2 (d 12, released 8; tie kept by set order) 8-10, tau2#1 10-12 (R = 6). No miss.
     * A one-task set in a server of 0.5 ms every 2 ms runs only in the first half ms of each server period.
     */
    @Test
    void edfAndServerByHand() {
        TaskSet set = new TaskSet(List.of(Task.of("tau1", 2 * MS, 4 * MS), Task.of("tau2", 3 * MS, 6 * MS)));
        SimulationResult r = Simulation.run(new Simulation.Setup(set, Scheduler.EDF, Optional.empty(), 12 * MS, 1), LatencySource.fixed(0));
        assertEquals(Optional.empty(), r.firstMiss());
        assertEquals(List.of(seg("tau1", 0, 0, 2), seg("tau2", 0, 2, 5), seg("tau1", 1, 5, 7), seg("tau2", 1, 7, 8),
                seg("tau1", 2, 8, 10), seg("tau2", 1, 10, 12)), r.actual());
        assertEquals(-1, r.tasks().get(0).boundNs());
        TaskSet light = new TaskSet(List.of(Task.of("a", 1 * MS, 4 * MS)));
        SimulationResult s = Simulation.run(new Simulation.Setup(light, Scheduler.FP, Optional.of(new ServerSupply(MS / 2, 2 * MS)), 8 * MS, 1),
                LatencySource.fixed(0));
        // half a ms per 2 ms: a#0 0-0.5, 2-2.5 (R = 2.5 ms); a#1 4-4.5, 6-6.5
        assertEquals(List.of(new Segment("a", 0, 0, MS / 2), new Segment("a", 0, 2 * MS, 2 * MS + MS / 2),
                new Segment("a", 1, 4 * MS, 4 * MS + MS / 2), new Segment("a", 1, 6 * MS, 6 * MS + MS / 2)), s.actual());
        assertEquals(2 * MS + MS / 2, s.tasks().get(0).maxResponseNs());
    }

    @Test
    void resamplingDrawsOnlyRecordedValues() {
        Histogram h = new Histogram(3);
        h.recordValueWithCount(1000, 9);
        h.recordValue(50_000);
        LatencySource src = LatencySource.resampled(h);
        Random rnd = new Random(3);
        int large = 0;
        for (int i = 0; i < 10_000; i++) {
            long l = src.nextNs(rnd);
            assertTrue(l == h.highestEquivalentValue(1000) || l == h.highestEquivalentValue(50_000), "drew " + l);
            if (l > 1000) large++;
        }
        assertTrue(large > 800 && large < 1200, "about one draw in ten is the large value, got " + large);
        assertEquals(h.highestEquivalentValue(50_000), src.maxNs());
    }

    /** The analysis bounds every simulated response at the same L^max (fixed priority, latency as jitter). */
    @Test
    void neverAboveTheAnalyticBoundOnRandomSets() {
        SplittableRandom rnd = new SplittableRandom(17);
        TaskSetGenerator gen = new TaskSetGenerator(4, 100_000, 2_000_000, TaskSetGenerator.Deadlines.CONSTRAINED);
        int compared = 0, above = 0;
        for (int k = 0; k < 1000; k++) {
            TaskSet set = gen.generate(0.4 + 0.55 * rnd.nextDouble(), rnd);
            Histogram h = new Histogram(3);
            for (int i = 0; i < 50; i++) h.recordValue(1 + rnd.nextLong(200_000));
            SimulationResult r = Simulation.run(new Simulation.Setup(set, Scheduler.FP, Optional.empty(), 20_000_000, k),
                    LatencySource.resampled(h));
            for (TaskOutcome t : r.tasks()) {
                if (t.boundNs() < 0) continue;
                compared++;
                if (t.maxResponseNs() > t.boundNs()) above++;
            }
        }
        assertTrue(compared > 2000, "compared " + compared);
        assertEquals(0, above);
    }
}
