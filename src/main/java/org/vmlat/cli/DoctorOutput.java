package org.vmlat.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vmlat.os.SystemFacts;
import org.vmlat.os.check.Finding;
import org.vmlat.targets.qemu.AccelCheck;

/** The doctor's findings as lines (level, check, fact, advice) or as JSON. */
final class DoctorOutput {
    private DoctorOutput() {}

    static void text(PrintWriter out, SystemFacts facts, List<Finding> findings) {
        out.println("# vmlat doctor: " + facts.kernelRelease() + " (" + facts.preemption() + "), " + facts.cpuModel());
        for (Finding x : findings) {
            out.printf(Locale.ROOT, "%-4s %-21s %s%s%n", x.level(), x.check(), x.finding(),
                    x.advice().isEmpty() ? "" : "  -> " + x.advice());
        }
        out.println(failed(findings) ? "Not ready for real-time measurement (see FAIL lines)." : "Ready to measure (WARN lines lower the quality of the figures).");
    }

    /** @param boot the test boot made by --kvm-test, null without one */
    static void json(PrintWriter out, SystemFacts facts, List<Finding> findings, AccelCheck.TestBoot boot) throws JsonProcessingException {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> list = new ArrayList<>();
        for (Finding x : findings) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("level", x.level().name());
            fm.put("check", x.check());
            fm.put("finding", x.finding());
            fm.put("advice", x.advice());
            list.add(fm);
        }
        m.put("findings", list);
        m.put("facts", facts.asMap());
        if (boot != null) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("answer", boot.answer());
            b.put("qemu_pid", boot.qemuPid());
            b.put("elapsed_ms", boot.elapsedMs());
            if (!boot.why().isEmpty()) b.put("why", boot.why());
            m.put("kvm_test_boot", b);
        }
        m.put("ok", !failed(findings));
        out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
    }

    private static boolean failed(List<Finding> findings) {
        return findings.stream().anyMatch(x -> x.level() == Finding.Level.FAIL);
    }
}
