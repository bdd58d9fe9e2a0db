package org.vmlat.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.cli.Vmlat;
import org.vmlat.explain.ClockAlignment;
import org.vmlat.explain.CrossBoundary;
import org.vmlat.explain.CrossBoundaryJson;
import org.vmlat.explain.HostSideAnalyzer;
import org.vmlat.explain.SpikeExplanation;
import org.vmlat.explain.TraceEvent;
import org.vmlat.explain.TraceLineParser;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.latency.ThreadResult;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioStatus;
import org.w3c.dom.Element;

/**
 * A guest scenario stored as the lab stores one (through the store, no guest run): a spike explained in a TCG guest on
 * this machine, its host side made by the analysis from host scheduler lines in tracefs's format with known times,
 * at the real run's clock offset; then {@code vmlat report --html} must draw the host lanes where those times fall on
 * the guest's axis, and {@code vmlat explain} must print the same threads, stretches and words in the same order.
 */
class GuestHostLanesReportTest {
    /** The host's events around the spike due at host 22668.199953725 s: the vCPU thread preempted by hackbench from
     *  22668.210000 to .230000, QEMU's main loop woken at .200000 and waiting for a CPU until .202000. */
    private static final List<String> HOST = List.of(
            " qemu-system-x86-25237   [000] d..2. 22668.199000: sched_switch: prev_comm=qemu-system-x86 prev_pid=25237 prev_prio=120 "
                    + "prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120",
            "            bash-77      [000] d..2. 22668.200000: sched_wakeup: comm=qemu-system-x86 pid=25237 prio=120 target_cpu=000",
            "          <idle>-0       [000] d..2. 22668.202000: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 "
                    + "prev_state=R ==> next_comm=qemu-system-x86 next_pid=25237 next_prio=120",
            "       CPU 0/TCG-25240   [001] d..2. 22668.210000: sched_switch: prev_comm=CPU 0/TCG prev_pid=25240 prev_prio=120 "
                    + "prev_state=R+ ==> next_comm=hackbench next_pid=4711 next_prio=120",
            "       hackbench-4711    [001] d..2. 22668.230000: sched_switch: prev_comm=hackbench prev_pid=4711 prev_prio=120 "
                    + "prev_state=S ==> next_comm=CPU 0/TCG next_pid=25240 next_prio=120");

    @TempDir
    Path dir;

    @Test
    void theReportDrawsTheHostLanesAndExplainPrintsThemInTheSameOrderAndWords() throws Exception {
        SpikeExplanation e = HostLanesChartTest.guestSpike();
        ClockAlignment a = new ClockAlignment(HostLanesChartTest.OFFSET, 767_300, 38, 0);
        List<TraceEvent> events = new ArrayList<>();
        for (String l : HOST) events.add(TraceLineParser.parse(l).orElseThrow());
        long from = a.toHostNs(e.expiresNs()), to = a.toHostNs(e.expiresNs() + e.latencyNs());
        CrossBoundary side = new CrossBoundary(e.tid(), e.expiresNs(), from, to,
                HostSideAnalyzer.explain(events, Map.of(25240, "CPU 0/TCG", 25237, "qemu-system-x86"), from, to));
        Path db = dir.resolve("r.db");
        try (ResultStore s = ResultStore.openSqlite(db)) {
            long run = s.createRun("guest-lanes", "plan.toml", "", Map.of(), Map.of());
            Map<String, String> dims = new LinkedHashMap<>();
            for (String[] d : new String[][] {{"target", "g"}, {"probe", "cyclictest"}, {"interval", "1ms"}, {"load", "none"}, {"priority", "95"},
                    {"repetition", "1"}}) {
                dims.put(d[0], d[1]);
            }
            s.addScenarios(run, List.of(dims));
            long id = s.scenarioId(run, 0);
            s.startScenario(id, 6_000_000_000L, "cyclictest", "");
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put(SettingsKeys.QEMU_ACCEL, "tcg");
            settings.put(SettingsKeys.TRACE_THRESHOLD_NS, "2000000");
            settings.put(SettingsKeys.EXPLAIN, HostLanesChartTest.resource("explain-guest-tcg.json"));
            settings.put(SettingsKeys.EXPLAIN_HOST, CrossBoundaryJson.write(a, List.of(side)));
            Histogram h = LatencyHistograms.create();
            h.recordValue(e.latencyNs());
            h.recordValue(60_000);
            s.finishScenario(id, ScenarioStatus.DONE, null, settings, List.of(), true,
                    List.of(new ThreadResult(0, 0, 1_000_000, 95, 2, 60_000, e.latencyNs(), 60_000 + e.latencyNs(), 0, 0, h, List.of())));
        }
        StringWriter out = new StringWriter();
        Path html = dir.resolve("html");
        assertThat(Vmlat.commandLine(new PrintWriter(out), new PrintWriter(out)).execute("report", "1", "--store", db.toString(), "--html", html.toString()))
                .as(out.toString()).isZero();
        String page = Files.readString(html.resolve("index.html"));
        assertThat(page).contains("placed on the guest's clock within ±767.3 µs (the clock alignment's bound, from 38 round trips)");
        Matcher m = Pattern.compile("<svg[^>]*aria-label=\"T0 at " + e.expiresNs() + " ns[^\"]*\".*?</svg>", Pattern.DOTALL).matcher(page);
        assertThat(m.find()).isTrue();
        SvgAxes svg = new SvgAxes(m.group());
        double pixelNs = svg.value("x", 201, false) - svg.value("x", 200, false);
        List<String> lanes = svg.byClass("text", "host-thread").stream().map(Element::getTextContent).toList();
        assertThat(lanes).containsExactly("CPU 0/TCG", "qemu-system-x86");
        List<Element> stretches = svg.byClass("rect", "host-stretch");
        assertThat(stretches).hasSize(2);
        // where the host's times fall on the guest's axis: host time + offset - expiry
        long dueHost = a.toHostNs(e.expiresNs());
        long[][] expected = {{22_668_210_000_000L - dueHost, 22_668_230_000_000L - dueHost}, {22_668_200_000_000L - dueHost, 22_668_202_000_000L - dueHost}};
        for (int i = 0; i < 2; i++) {
            double x = SvgAxes.num(stretches.get(i), "x");
            assertThat(svg.value("x", x, false)).isCloseTo(expected[i][0], within(pixelNs));
            assertThat(svg.value("x", x + SvgAxes.num(stretches.get(i), "width"), false)).isCloseTo(expected[i][1], within(pixelNs));
        }

        StringWriter explained = new StringWriter();
        assertThat(Vmlat.commandLine(new PrintWriter(explained), new PrintWriter(explained)).execute("explain", "1:1", "--store", db.toString(), "--spikes", "1"))
                .as(explained.toString()).isZero();
        String text = explained.toString();
        System.out.print(text);
        // the same lanes in the same order, each stretch with the words of its drawn title, at the same times
        List<String> threads = new ArrayList<>(), words = new ArrayList<>();
        Matcher t = Pattern.compile("(?m)^ {8}(?:vCPU|QEMU) thread (.+) \\(tid \\d+\\): not running for").matcher(text);
        while (t.find()) threads.add(t.group(1));
        Matcher w = Pattern.compile("(?m)^ {10}[-+][0-9.]+us to [-+][0-9.]+us  (.+)$").matcher(text);
        while (w.find()) words.add(w.group(1));
        assertThat(threads).isEqualTo(lanes);
        List<String> drawn = stretches.stream().map(r -> r.getElementsByTagName("title").item(0).getTextContent().replaceAll("^.*?\\(tid \\d+\\) (.*?): .*$", "$1"))
                .toList();
        assertThat(words).isEqualTo(drawn).containsExactly("preempted by hackbench (pid 4711)", "waiting for a CPU");
        assertThat(text).contains("host: QEMU threads placed +-767.3us by the clock alignment, times since the intended wake-up")
                .contains(String.format(java.util.Locale.ROOT, "%+.1fus to %+.1fus  preempted by hackbench", expected[0][0] / 1000.0, expected[0][1] / 1000.0));
    }
}
