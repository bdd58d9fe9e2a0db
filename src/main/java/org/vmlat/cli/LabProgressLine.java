package org.vmlat.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vmlat.store.ScenarioStatus;
import org.vmlat.lab.LabRunner;
import org.vmlat.lab.LabService;
import org.vmlat.lab.Scenario;
import org.vmlat.latency.Durations;
import org.vmlat.report.Micros;
import org.vmlat.report.TerminalText;

/** The progress line: scenario i of N, settings, elapsed/remaining, worst latency so far. */
final class LabProgressLine implements LabService.Listener {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean live;
    private boolean drawn;

    LabProgressLine(PrintWriter out, PrintWriter err, boolean live) {
        this.out = out;
        this.err = err;
        this.live = live;
    }

    @Override
    public void runOpened(LabService.OpenedRun run) {
        if (run.resumed() != null) {
            out.printf("# vmlat lab: resuming run %d (%s): %d of %d scenarios done%n", run.runId(), TerminalText.inert(run.resumed().name()), run.resumed().done(),
                    run.resumed().scenarios());
        } else {
            out.printf("# vmlat lab: run %d, plan %s: %d scenarios of %s each, store %s%n", run.runId(), TerminalText.inert(run.planFile()), run.scenarios(),
                    Durations.format(run.plan().durationNs()), run.store());
        }
        out.flush();
    }

    @Override
    public void runStarted(long runId, int scenarios, int toRun) {
        if (toRun < scenarios) out.printf("%d of %d scenarios to run%n", toRun, scenarios);
    }

    @Override
    public void scenarioStarted(Scenario s, int position, int toRun, long runElapsedMs, long runRemainingMs) {
        clear();
        out.printf(Locale.ROOT, "[%d/%d] %s  (run: %s elapsed, ~%s left)%n", position, toRun, settings(s), mmss(runElapsedMs), mmss(runRemainingMs));
        out.flush();
    }

    @Override
    public void scenarioStatus(Scenario s, int position, int toRun, long elapsedMs, long remainingMs, long runRemainingMs, long worstNs) {
        if (!live) return;
        out.printf(Locale.ROOT, "\r  scenario %s elapsed, %s left; run ~%s left; worst so far %s us\u001B[K", mmss(elapsedMs), mmss(remainingMs),
                mmss(runRemainingMs), worstNs < 0 ? "-" : Micros.of(worstNs));
        out.flush();
        drawn = true;
    }

    @Override
    public void scenarioFinished(Scenario s, int position, int toRun, ScenarioStatus status, String reason, long maxNs) {
        clear();
        out.printf(Locale.ROOT, "  -> %s%s%s%n", status.storedName(), maxNs >= 0 ? ", max " + Micros.of(maxNs) + " us" : "", reason == null ? "" : ": " + TerminalText.inert(reason));
        out.flush();
    }

    @Override
    public void warning(String message) {
        clear();
        err.println("vmlat: warning: " + TerminalText.inert(message));
        err.flush();
    }

    @Override
    public void interrupted(LabService.OpenedRun run, LabRunner.Outcome o) {
        clear();
        out.printf("Interrupted: run %d stopped after %d scenario(s) (%d done, %d failed); "
                + "vmlat lab run --resume %d --store %s runs the rest%n", run.runId(), o.ran(), o.done(), o.failed(), run.runId(),
                TerminalText.inert(run.store()));
        out.flush();
    }

    @Override
    public void info(String message) {
        clear();
        err.println("vmlat: " + TerminalText.inert(message));
        err.flush();
    }

    void clear() {
        if (drawn) {
            out.print("\r\u001B[K");
            out.flush();
            drawn = false;
        }
    }

    static String settings(Scenario s) {
        List<String> parts = new ArrayList<>();
        s.dims().forEach((k, v) -> {
            if (!k.equals("repetition") || !v.equals("1")) parts.add(k + "=" + v);
        });
        return TerminalText.inert(String.join(" ", parts));
    }

    static String mmss(long ms) {
        long s = Math.max(0, ms) / 1000;
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
