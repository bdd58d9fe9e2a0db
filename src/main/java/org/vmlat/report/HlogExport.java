package org.vmlat.report;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.vmlat.latency.ThreadResult;
import org.vmlat.store.RunRecord;
import org.vmlat.store.ScenarioRecord;

/**
 * One interval per scenario thread, tag {@code S<scenario>T<thread>}, spanning the scenario's
 * start to end; the log starts at the earliest scenario start.
 */
final class HlogExport implements ExportFormat {
    @Override
    public String name() {
        return "hlog";
    }

    @Override
    public String description() {
        return "one HdrHistogram interval per scenario thread";
    }

    @Override
    public String write(RunRecord run, List<ScenarioRecord> scenarios, ThreadResults threads) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (IntervalLogWriter w = new IntervalLogWriter(bytes,
                "vmlat run export: one interval histogram per scenario thread, tag S<scenario>T<thread>, values in ns")) {
            long base = scenarios.stream().mapToLong(ScenarioRecord::startedMs).filter(x -> x > 0).min().orElse(0);
            w.start(base);
            for (ScenarioRecord s : scenarios) {
                for (ThreadResult t : threads.of(s)) {
                    w.interval(String.format(Locale.ROOT, "S%dT%d", s.index() + 1, t.thread()), Math.max(base, s.startedMs()),
                            Math.max(base, s.endedMs() > 0 ? s.endedMs() : s.startedMs()), t.histogram().copy());
                }
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
