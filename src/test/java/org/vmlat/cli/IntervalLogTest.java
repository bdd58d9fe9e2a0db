package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.report.ExportFormats;
import org.vmlat.report.IntervalLogWriter;
import org.vmlat.store.ScenarioStatus;
import org.vmlat.store.RunStatus;
import org.vmlat.store.RunRecord;
import org.vmlat.store.ScenarioRecord;

/** {@code measure --hlog} and {@code runs export --format hlog} write the same log for the same samples, up to comment and tag. */
class IntervalLogTest {
    @Test
    void measureAndExportWriteTheSameLog() {
        long from = 1_700_000_000_000L, to = from + 1_000;
        Histogram samples = LatencyHistograms.create();
        for (long v : new long[] {1_500, 2_700, 48_000, 48_100}) samples.recordValue(v);

        ByteArrayOutputStream measured = new ByteArrayOutputStream();
        try (IntervalLogWriter log = new IntervalLogWriter(measured, "measure")) {
            LiveStatus status = new LiveStatus(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false, log);
            status.started(from);
            status.interval(0, from, to, samples.copy());
        }

        ThreadResult t = new ThreadResult(0, 0, 1_000_000, 1, 4, 1_500, 48_100, 100_300, 0, 0, samples, List.of());
        ScenarioRecord sc = new ScenarioRecord(1, 1, 0, Map.of("target", "local"), ScenarioStatus.DONE, null, from, to, 1_000_000_000L, "", "",
                Map.of(), List.of(), true, List.of(ThreadSummary.of(t)));
        RunRecord run = new RunRecord(1, "r", "p.toml", "", RunStatus.DONE, from, to, Map.of(), Map.of(), 1, 1, 0);
        String exported = ExportFormats.named("hlog").write(run, List.of(sc), s -> List.of(t));

        List<String> m = measured.toString(StandardCharsets.US_ASCII).lines().toList();
        List<String> e = exported.lines().toList();
        assertThat(m).hasSize(6);
        assertThat(m.get(0)).isEqualTo("#measure");
        assertThat(e.subList(1, 6)).isEqualTo(m.subList(1, 6).stream().map(l -> l.replace("Tag=T0,", "Tag=S1T0,")).toList());
        assertThat(m.get(5)).startsWith("Tag=T0,0.000,1.000,0.048,HISTF");
    }
}
