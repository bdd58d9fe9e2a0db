package org.vmlat.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.cli.Vmlat;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.store.IntervalMax;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;

/** A lab run with the builtin probe stores the worst sample of every interval, and its report draws latency over time per CPU. */
class OverTimeReportTest {
    @Test
    void aLabRunStoresIntervalMaximaAndTheReportDrawsThem(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("p.toml"), db = dir.resolve("r.db"), html = dir.resolve("html");
        Files.writeString(plan, """
                name = "over-time"
                duration = "3s"
                [probe]
                threads = 2
                affinity = "0-1"
                [matrix]
                probe = ["builtin"]
                interval = ["1ms"]
                load = ["none"]
                """);
        StringWriter out = new StringWriter();
        int code = Vmlat.commandLine(new PrintWriter(out), new PrintWriter(out)).execute("lab", "run", plan.toString(), "--store", db.toString(), "-q");
        assertThat(code).as(out.toString()).isZero();
        try (ResultStore s = ResultStore.openReadOnly(db.toString())) {
            ScenarioRecord sc = s.scenarios(1).get(0);
            List<IntervalMax> intervals = s.intervals(sc.id());
            assertThat(intervals).extracting(IntervalMax::thread).contains(0, 1);
            for (ThreadSummary t : sc.threads()) {
                List<IntervalMax> mine = intervals.stream().filter(m -> m.thread() == t.thread()).toList();
                assertThat(mine.size()).as("intervals of about a second in 3 s").isBetween(2, 6);
                // the intervals hold every sample, and the worst of them is the thread's worst
                assertThat(mine.stream().mapToLong(IntervalMax::count).sum()).isEqualTo(t.count());
                assertThat(mine.stream().mapToLong(IntervalMax::maxNs).max().orElseThrow()).isCloseTo(t.maxNs(), org.assertj.core.api.Assertions.within(t.maxNs() / 500 + 1));
            }
        }
        code = Vmlat.commandLine(new PrintWriter(out), new PrintWriter(out)).execute("report", "1", "--store", db.toString(), "--html", html.toString(), "--png");
        assertThat(code).as(out.toString()).isZero();
        String page = Files.readString(html.resolve("index.html"));
        assertThat(page).contains("aria-label=\"latency over time\"");
        int svgStart = page.indexOf("<svg", page.indexOf("aria-label=\"latency over time\"") - 200);
        SvgAxes svg = new SvgAxes(page.substring(svgStart, page.indexOf("</svg>", svgStart) + 6));
        assertThat(svg.byClass("path", "series")).hasSize(2);
        assertThat(svg.byClass("text", "legend")).hasSize(2);
        assertThat(svg.byClass("text", "max-label").get(0).getTextContent()).startsWith("max ");
        assertThat(Files.exists(html.resolve("png/scenario-1-over-time.png"))).isTrue();
        assertThat(Files.exists(html.resolve("png/scenario-1-histogram.png"))).isTrue();
    }
}
