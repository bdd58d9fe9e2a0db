package org.vmlat.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.vmlat.sched.FixedPriorityAnalysis;
import org.vmlat.sched.LatencyModel;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.TaskSet;
import org.vmlat.sched.TaskVerdict;

/**
 * A discrete-event simulation of a task set on one processor, each job's release delayed by a
 * drawn latency. All tasks release their first job at 0 and then strictly periodically (nominal
 * releases k T_i); the job becomes ready at k T_i + L, needs exactly its WCET, and a task's jobs
 * run one after the other in release order. Fixed priority follows the set's order (highest first),
 * EDF the absolute deadlines k T_i + D_i (ties by that order). Response times count from the nominal
 * release, as the analysis counts them.
 *
 * <p>The theoretical schedule is the same set with no latency; both are shown for the window around
 * the first deadline miss (from a largest period before the late job's release to a largest period
 * after its deadline), or the opening window when no job misses.
 */
public final class Simulation {
    private Simulation() {}

    /** What to simulate. {@code server} empty = a dedicated processor. */
    public record Setup(TaskSet set, Scheduler scheduler, Optional<ServerSupply> server, long durationNs, long seed) {
        public Setup {
            if (set == null) throw new IllegalArgumentException("set: must be given");
            if (scheduler == null) throw new IllegalArgumentException("scheduler: must be given");
            if (server == null) server = Optional.empty();
            if (durationNs <= 0) throw new IllegalArgumentException("duration: must be > 0, got " + durationNs + " ns");
        }
    }

    public static SimulationResult run(Setup setup, LatencySource latency) {
        Engine actual = new Engine(setup, latency, new Random(setup.seed()), null);
        actual.run();
        long[] window = actual.window();
        Engine theoretical = new Engine(setup, LatencySource.fixed(0), new Random(setup.seed()), window);
        theoretical.run();
        long[] bounds = bounds(setup, actual.maxDrawnNs);
        List<TaskOutcome> out = new ArrayList<>();
        for (int i = 0; i < setup.set().size(); i++) {
            out.add(new TaskOutcome(setup.set().get(i).name(), actual.responses[i], actual.maxResponse[i], actual.jobs[i],
                    actual.misses[i], bounds[i]));
        }
        return new SimulationResult(out, actual.maxDrawnNs, actual.firstMiss(), window[0], window[1],
                theoretical.segments(window), actual.segments(window));
    }

    /** Fixed-priority response-time bounds with the latency as release jitter; none for EDF or a server. */
    static long[] bounds(Setup setup, long latencyNs) {
        long[] out = new long[setup.set().size()];
        Arrays.fill(out, -1);
        if (setup.scheduler() != Scheduler.FP || setup.server().isPresent()) return out;
        List<TaskVerdict> v = FixedPriorityAnalysis.analyze(setup.set(), latencyNs, LatencyModel.JITTER).tasks();
        for (int i = 0; i < out.length; i++) out[i] = v.get(i).responseTimeNs();
        return out;
    }
}
