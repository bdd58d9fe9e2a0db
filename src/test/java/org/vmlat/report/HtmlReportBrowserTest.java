package org.vmlat.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.cli.Vmlat;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.ThreadResult;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioStatus;

/** The HTML report opened in a real headless Chromium: it loads without script errors, the charts render, the tables hold the cells. */
class HtmlReportBrowserTest {
    static final String[] CHROMIUM = {"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"};

    static void store(Path db, long run2Shift) {
        try (ResultStore s = ResultStore.openSqlite(db)) {
            for (int r = 0; r < 2; r++) {
                long run = s.createRun("r" + r, "plan.toml", "t", Map.of("kernel.release", "6.1.0-test"), Map.of());
                s.addScenarios(run, List.of(Map.of("target", "host", "load", "none"), Map.of("target", "host", "load", "stress"),
                        Map.of("target", "vm", "load", "none")));
                for (int i = 0; i < 3; i++) {
                    long id = s.scenarioId(run, i);
                    s.startScenario(id, 1, "probe", "load");
                    if (i == 2 && r == 0) {
                        s.finishScenario(id, ScenarioStatus.FAILED, "guest vm did not boot within 60 s; killed", Map.of("qemu.accel", "tcg"), List.of(), false);
                        continue;
                    }
                    Histogram h = LatencyHistograms.create();
                    java.util.Random rnd = new java.util.Random(i + 10L * r);
                    for (int k = 0; k < 20_000; k++) h.recordValue(10_000 + (long) (Math.abs(rnd.nextGaussian()) * 3_000 * (i + 1)) + r * run2Shift);
                    s.saveThreads(id, List.of(new ThreadResult(0, 0, 1_000_000, 1, h.getTotalCount(), h.getMinValue(), h.getMaxValue(),
                            (long) (h.getMean() * h.getTotalCount()), i == 1 ? 25 : 0, 0, h, List.of())), true);
                    s.finishScenario(id, ScenarioStatus.DONE, null, Map.of("qemu.accel", i == 2 ? "tcg" : ""), List.of(), true);
                }
            }
        }
    }

    @Test
    void theReportLoadsRendersAndHoldsTheTable(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "chromium not installed");
        Path db = dir.resolve("r.db"), html = dir.resolve("html");
        store(db, 5_000);
        StringWriter out = new StringWriter();
        int code = Vmlat.commandLine(new PrintWriter(out), new PrintWriter(out))
                .execute("report", "1", "--store", db.toString(), "--html", html.toString(), "--compare", "2", "--rows", "target", "--cols", "load");
        assertThat(code).as(out.toString()).isZero();
        Path index = html.resolve("index.html");
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/chromium"));
        cmd.addAll(List.of(CHROMIUM));
        cmd.add("--user-data-dir=" + dir.resolve("profile"));
        cmd.add("--dump-dom");
        cmd.add(index.toUri().toString());
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("chromium.log").toFile()).start();
        String dom = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(dom).contains("data-ready=\"ok\"").doesNotContain("data-error");
        // the charts rendered: one overlay plus a histogram and a CCDF per scenario with samples
        assertThat(dom.split("<svg class=\"chart\"", -1).length - 1).isEqualTo(1 + 2 * 2);
        assertThat(dom).contains("<path class=\"series s0\"").contains("No samples: nothing to plot.");
        // every chart labels the worst case (overlay, and histogram and CCDF of both scenarios with samples)
        assertThat(dom.split("class=\"max-label\"", -1).length - 1).isEqualTo(1 + 2 * 2);
        // the worst-case table holds the expected cells: a failed guest, missed periods on the stressed host
        assertThat(dom).containsPattern("<td>host</td><td>[0-9.]+</td><td>[0-9.]+ \\(0\\.1% missed\\)</td></tr>");
        assertThat(dom).contains("class=\"failed\">FAILED</td>");
        assertThat(dom).contains("EMULATED: vm ran under QEMU full emulation");
        // the comparison with run 2 (shifted by 5 us): B is worse at every percentile
        assertThat(dom).contains("This run (A) against run 2 (B)").containsPattern("<td>p50</td>.*?<td>worse</td>");
        // unchecked overlay series are hidden by the script
        assertThat(dom).contains("data-series=\"s0\"");
    }

    @Test
    void unknownRunIsAMessageNotAPage(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("r.db");
        store(db, 0);
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Vmlat.commandLine(new PrintWriter(out), new PrintWriter(err)).execute("report", "9", "--store", db.toString(), "--html", dir.resolve("h").toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("no run 9");
        assertThat(Files.exists(dir.resolve("h/index.html"))).isFalse();
    }
}
