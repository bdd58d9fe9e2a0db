package org.vmlat.report;

import java.util.List;
import java.util.Map;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.cyclictest.CyclictestJsonWriter;
import org.vmlat.store.RunRecord;
import org.vmlat.store.ScenarioRecord;

/**
 * One scenario as cyclictest's {@code --json=FILE} writes it ({@link CyclictestJsonWriter}), so
 * tools made for that file read vmlat's measurements. cyclictest's file holds one measurement:
 * a run of several scenarios needs {@code runs export --scenario N}.
 */
final class CyclictestJsonExport implements ExportFormat {
    @Override
    public String name() {
        return "cyclictest-json";
    }

    @Override
    public String description() {
        return "one scenario as cyclictest --json writes it";
    }

    @Override
    public String write(RunRecord run, List<ScenarioRecord> scenarios, ThreadResults threads) {
        if (scenarios.size() != 1) {
            throw new IllegalArgumentException("cyclictest's JSON holds one measurement and run " + run.id() + " has " + scenarios.size()
                    + " scenarios: pick one with --scenario N");
        }
        ScenarioRecord s = scenarios.get(0);
        List<ThreadResult> t = threads.of(s);
        Map<String, String> sys = Map.of("sysname", "Linux", "nodename", run.system().getOrDefault("hostname", ""),
                "release", run.system().getOrDefault("kernel.release", ""), "version", run.system().getOrDefault("kernel.version", ""),
                "machine", run.system().getOrDefault("machine", ""));
        // "cyclictest V 2.40" as the store keeps it; the file holds the number
        String version = run.tools().getOrDefault("cyclictest", "").replaceFirst("^cyclictest V\\s*", "");
        var header = new CyclictestJsonWriter.Header(s.probeCommand() == null ? "" : s.probeCommand(), version, s.startedMs(), s.endedMs(),
                0, sys, s.realtime());
        return CyclictestJsonWriter.write(header, t, CyclictestHistExport.bucketsUs(t));
    }
}
