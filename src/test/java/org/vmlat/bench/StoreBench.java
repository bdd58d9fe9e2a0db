package org.vmlat.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.ThreadResult;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;

/**
 * Writes a run of N scenarios (2 threads each, histograms of 1e6 samples with a long tail) to a
 * fresh SQLite store, reads it back, and prints both times. Run by bench/lab.sh.
 * Usage: StoreBench FILE [SCENARIOS=1000]
 */
public final class StoreBench {
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        // multiply each histogram's counts: 86 = a day at 1 kHz from 10^6 drawn samples ("24 h-sized")
        long scale = args.length > 2 ? Long.parseLong(args[2]) : 1;
        Random rnd = new Random(1);
        List<Histogram> shapes = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            Histogram h = LatencyHistograms.create();
            for (int i = 0; i < 1_000_000; i++) {
                long v = (long) (12_000 + Math.abs(rnd.nextGaussian()) * 3_000 * (k + 1));
                if (rnd.nextInt(10_000) == 0) v += rnd.nextInt(2_000_000);
                if (rnd.nextInt(1_000_000) == 0) v += rnd.nextInt(50_000_000);
                h.recordValue(v);
            }
            if (scale > 1) {
                Histogram big = LatencyHistograms.create();
                for (var v : h.recordedValues()) big.recordValueWithCount(v.getValueIteratedTo(), v.getCountAtValueIteratedTo() * scale);
                h = big;
            }
            shapes.add(h);
        }
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        long t0 = System.nanoTime();
        long runId;
        try (ResultStore s = ResultStore.openSqlite(file)) {
            runId = s.createRun("bench", "bench.toml", "duration = \"30s\"", Map.of("kernel.release", "bench"), Map.of());
            List<Map<String, String>> dims = new ArrayList<>();
            String[] probes = {"builtin", "cyclictest"}, intervals = {"50us", "200us", "500us", "1ms", "2ms"}, loads = {"none", "syscall", "io", "scheduler", "cpu"};
            for (int i = 0; i < n; i++) {
                Map<String, String> d = new LinkedHashMap<>();
                d.put("target", "host" + (i / 50));
                d.put("probe", probes[i % 2]);
                d.put("interval", intervals[(i / 2) % 5]);
                d.put("load", loads[(i / 10) % 5]);
                d.put("priority", "95");
                d.put("repetition", "1");
                dims.add(d);
            }
            s.addScenarios(runId, dims);
            for (int i = 0; i < n; i++) {
                long id = s.scenarioId(runId, i);
                s.startScenario(id, 30_000_000_000L, "probe", "load");
                List<ThreadResult> threads = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    Histogram h = shapes.get((i + t) % shapes.size());
                    threads.add(new ThreadResult(t, t, 1_000_000, 1, h.getTotalCount(), h.getMinValue(), h.getMaxValue(),
                            (long) (h.getMean() * h.getTotalCount()), 0, 0, h, List.of()));
                }
                s.saveThreads(id, threads, true);
                s.finishScenario(id, ScenarioStatus.DONE, null, Map.of("policy", "fifo"), List.of(), true);
            }
        }
        long t1 = System.nanoTime();
        List<ScenarioRecord> back;
        try (ResultStore s = ResultStore.openSqlite(file)) {
            back = s.scenarios(runId);
        }
        long t2 = System.nanoTime();
        long samples = back.stream().mapToLong(ScenarioRecord::count).sum();
        System.out.printf(Locale.ROOT, "store: wrote %d scenarios (2 threads, histograms of " + (scale * 1_000_000) + " samples each) in %.2f s (%.1f ms per scenario), read back in %.2f s; %d samples; file %d KiB%n",
                n, (t1 - t0) / 1e9, (t1 - t0) / 1e6 / n, (t2 - t1) / 1e9, samples, file.toFile().length() / 1024);
        System.out.println("run " + runId);
    }
}
