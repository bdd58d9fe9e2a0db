package org.vmlat.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;

class XenStudyTablesTest {
    /** One Xen scenario with a single latency of maxUs. */
    static ScenarioRecord xen(int i, String kernel, String mode, String load, String interval, long maxUs, boolean emulated) {
        Map<String, String> dims = new LinkedHashMap<>();
        dims.put("target", "xen");
        dims.put("kernel", kernel);
        dims.put("mode", mode);
        dims.put("probe", "cyclictest");
        dims.put("interval", interval);
        dims.put("load", load);
        Histogram h = LatencyHistograms.create();
        h.recordValue(maxUs * 1000);
        Map<String, String> settings = new LinkedHashMap<>(Map.of("xen.version", "4.17.7", "xen.scheduler", "credit2", "xen.dom0", "root@127.0.0.1:2222",
                "xen.dom0_kernel", "6.1.0-56-amd64"));
        if (emulated) settings.put("emulated", "Xen 4.17.7 in QEMU full emulation (TCG), booted by vmlat xen up");
        return new ScenarioRecord(i, 1, i, dims, ScenarioStatus.DONE, null, 0, 0, 0, "", "", settings, List.of(), true,
                List.of(ThreadSummary.of(new ThreadResult(0, 0, 1_000_000, 1, 1, maxUs * 1000, maxUs * 1000, maxUs * 1000, 0, 0, h, List.of()))));
    }

    static List<ScenarioRecord> run(boolean emulated) {
        List<ScenarioRecord> s = new ArrayList<>();
        int i = 0;
        long v = 100;
        for (String k : List.of("nrt", "rt")) {
            for (String m : List.of("pv", "pvh", "hvm")) {
                s.add(xen(i++, k, m, "none", "1ms", v));
                s.add(xen(i++, k, m, "stress", "1ms", v * 3));
                v += 100;
            }
        }
        s.add(xen(i++, "nrt", "pv", "none", "500us", 7001, emulated));
        s.add(xen(i, "nrt", "pv", "none", "50us", 7002, emulated));
        return s.stream().map(x -> emulated ? xen((int) x.id(), x.dims().get("kernel"), x.dims().get("mode"), x.dims().get("load"),
                x.dims().get("interval"), x.maxNs() / 1000, true) : x).toList();
    }

    static ScenarioRecord xen(int i, String kernel, String mode, String load, String interval, long maxUs) {
        return xen(i, kernel, mode, load, interval, maxUs, false);
    }

    @Test
    void theModeTableHoldsOnlyUnstressedScenariosAtTheMainPeriod() {
        String t = XenStudyTables.render(run(false), WorstCaseTable.Metric.MAX, WorstCaseTable.Format.CSV);
        String modes = t.substring(t.indexOf("Guest kernel x mode"), t.indexOf("Stress / No stress"));
        // nrt: pv 100, pvh 200, hvm 300; rt: 400, 500, 600 -- the 500 us and 50 us sweep (7001, 7002) and the stressed values stay out
        assertThat(modes).contains("period 1ms", "kernel \\ mode,pv,pvh,hvm", "nrt,100.0,200.0,300.0", "rt,400.0,500.0,600.0").doesNotContain("7001", "900.0");
        String stress = t.substring(t.indexOf("Stress / No stress"), t.indexOf("Period sweep"));
        assertThat(stress).contains("nrt / pv,100.0,300.0", "rt / hvm,600.0,1800.0").doesNotContain("7001");
        String sweep = t.substring(t.indexOf("Period sweep"));
        assertThat(sweep).contains("50us,7002.0", "500us,7001.0", "1ms,100.0").doesNotContain("900.0", "1800.0");
        assertThat(t).startsWith("Xen 4.17.7, scheduler credit2, Dom0 root@127.0.0.1:2222 (kernel 6.1.0-56-amd64)\n");
    }

    @Test
    void emulatedRunsSaySoAndMixedComparisonsAreFlagged() {
        List<ScenarioRecord> emu = run(true), hw = run(false);
        assertThat(XenStudyTables.render(emu, WorstCaseTable.Metric.MAX, WorstCaseTable.Format.TEXT).lines().findFirst().orElseThrow()).endsWith("; EMULATED");
        assertThat(Emulation.notes(emu)).singleElement().asString()
                .startsWith("EMULATED: xen ran under Xen 4.17.7 in QEMU full emulation (TCG), booted by vmlat xen up");
        assertThat(Emulation.notes(hw)).isEmpty();
        assertThat(Emulation.mixed(emu.get(0), hw.get(0))).startsWith("NOT LIKE FOR LIKE: A ran under Xen 4.17.7");
        assertThat(Emulation.mixed(hw.get(0), hw.get(1))).isNull();
        assertThat(XenStudyTables.applies(hw)).isTrue();
        assertThat(XenStudyTables.applies(WorstCaseTableTest.study())).isFalse();
    }
}
