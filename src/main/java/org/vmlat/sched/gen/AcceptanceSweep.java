package org.vmlat.sched.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.vmlat.sched.LatencyModel;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.Sensitivity;
import org.vmlat.sched.TaskSet;

/**
 * Acceptance ratio against utilisation and latency: for each utilisation point, {@code sets}
 * random task sets; each is tested at every latency of the grid (the same sets for every
 * latency, so curves differ only by the latency). Set k of utilisation point j is generated from
 * its own stream split off {@code seed} by (j, k), so results do not depend on the number of
 * threads. Runs on all cores through the common fork-join pool.
 */
public final class AcceptanceSweep {
    /** One cell: how many of {@code sets} task sets passed at this utilisation and latency. */
    public record Point(double utilisation, long latencyNs, int accepted, int sets) {
        public double ratio() {
            return (double) accepted / sets;
        }
    }

    private AcceptanceSweep() {}

    public static List<Point> run(TaskSetGenerator gen, double[] utilisations, long[] latenciesNs, int sets,
                                  Scheduler scheduler, LatencyModel model, long seed) {
        int[][] accepted = new int[utilisations.length][latenciesNs.length];
        IntStream.range(0, utilisations.length * sets).parallel().forEach(job -> {
            int j = job / sets, k = job % sets;
            SplittableRandom rnd = new SplittableRandom(mix(seed, j, k));
            TaskSet ts = gen.generate(utilisations[j], rnd);
            for (int l = 0; l < latenciesNs.length; l++) {
                boolean ok = Sensitivity.schedulable(ts, scheduler, latenciesNs[l], model);
                if (!ok) break; // monotone in latency: larger latencies fail too
                synchronized (accepted[j]) {
                    accepted[j][l]++;
                }
            }
        });
        List<Point> out = new ArrayList<>();
        for (int j = 0; j < utilisations.length; j++) {
            for (int l = 0; l < latenciesNs.length; l++) out.add(new Point(utilisations[j], latenciesNs[l], accepted[j][l], sets));
        }
        return out;
    }

    static long mix(long seed, int j, int k) {
        long z = seed ^ (0x9E3779B97F4A7C15L * (j + 1)) ^ (0xBF58476D1CE4E5B9L * (k + 1));
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
