package org.vmlat.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.vmlat.latency.ThreadResult;

/**
 * bench/fleet.sh's claim benchmark: N workers (threads, each with its own connection, as
 * separate processes would have) drain a queued run of M scenarios, each on its own host group,
 * doing for every scenario what a lab worker does besides measuring: claim, start the attempt,
 * store final results (one thread's histogram) and the end, release, check whether the run
 * ended. Prints claims per second and the per-scenario cost of those steps (mean and p99, ms).
 *
 * <p>Usage: ClaimBench STORE_URL WORKERS SCENARIOS
 */
public final class ClaimBench {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        int workers = Integer.parseInt(args[1]), scenarios = Integer.parseInt(args[2]);
        long run;
        try (ResultStore s = ResultStore.open(url)) {
            List<WorkQueue.Work> work = new ArrayList<>();
            for (int i = 0; i < scenarios; i++) work.add(new WorkQueue.Work(Map.of("i", Integer.toString(i)), "t", "box" + i));
            run = new WorkQueue(s).submit("claim-bench", "bench", "", Map.of(), Map.of(), work);
        }
        ThreadResult result = ResultStoreTest.thread(0, 1);
        long[][] costs = new long[workers][];
        AtomicLong claimed = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            int me = w;
            Thread t = new Thread(() -> {
                List<Long> mine = new ArrayList<>();
                String owner = "bench-" + me;
                try (ResultStore s = ResultStore.open(url)) {
                    s.writeAsLeaseOwner(owner);
                    WorkQueue q = new WorkQueue(s);
                    while (true) {
                        long t0 = System.nanoTime();
                        var c = q.claim(run, owner, List.of("t"), "machine", 30_000);
                        if (c.isEmpty()) break;
                        s.startScenario(c.get().scenarioId(), 1, "bench", "");
                        s.finishScenario(c.get().scenarioId(), ScenarioStatus.DONE, null, Map.of("k", "v"), List.of(), true, List.of(result));
                        q.release(c.get().scenarioId(), owner);
                        if (q.unfinished(run) == 0) q.endIfFinished(run);
                        mine.add(System.nanoTime() - t0);
                        claimed.incrementAndGet();
                    }
                }
                costs[me] = mine.stream().mapToLong(Long::longValue).toArray();
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = Arrays.stream(costs).flatMapToLong(Arrays::stream).sorted().toArray();
        double mean = Arrays.stream(all).average().orElse(0) / 1e6;
        double p99 = all.length == 0 ? 0 : all[Math.min(all.length - 1, (int) Math.ceil(all.length * 0.99) - 1)] / 1e6;
        try (ResultStore s = ResultStore.openReadOnly(url)) {
            RunRecord r = s.run(run);
            if (r.done() != scenarios || claimed.get() != scenarios) {
                throw new IllegalStateException("claimed " + claimed.get() + ", done " + r.done() + " of " + scenarios);
            }
        }
        System.out.printf(Locale.ROOT, "workers=%d scenarios=%d claims_per_s=%.0f per_scenario_ms_mean=%.2f per_scenario_ms_p99=%.2f%n",
                workers, scenarios, scenarios / seconds, mean, p99);
    }
}
