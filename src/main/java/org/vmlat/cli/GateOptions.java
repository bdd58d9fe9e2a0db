package org.vmlat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vmlat.latency.FormatException;
import org.vmlat.report.JUnitXml;
import org.vmlat.report.Limit;
import org.vmlat.report.LimitCheck.Outcome;
import org.vmlat.report.LimitsFile;
import picocli.CommandLine.Option;

/**
 * The options that turn a command into a CI gate: limits given inline or in a file, and a JUnit XML
 * file of the outcomes. A gate prints one line per failed limit and answers
 * {@link ExitCodes#THRESHOLD} when any failed.
 */
final class GateOptions {
    @Option(names = "--limit", paramLabel = "METRIC=VALUE",
            description = "Fail (exit 3) when METRIC exceeds VALUE in any scenario: max, p50, p90, p99, p99.9, p99.99 or mean "
                    + "(a duration, e.g. max=40us), pwcet1e-6, pwcet1e-9 or pwcet1e-12 (the tail fit's bound, as vmlat tail; "
                    + "not judged when the fit does not support it), or missed (a count, or a fraction as missed=0.1%%). Repeatable.")
    List<String> inline = new ArrayList<>();

    @Option(names = "--limits", paramLabel = "FILE", description = "Limits as [[limit]] tables in a TOML file (docs/ci.md).")
    Path file;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write the limits' outcomes as JUnit XML (one test case per scenario and limit).")
    Path junit;

    /** Every limit asked for; usage errors name the option, file errors their file:line:field. */
    List<Limit> limits() {
        List<Limit> all = new ArrayList<>();
        for (String s : inline) {
            try {
                all.add(Limit.parse(s, Map.of()));
            } catch (IllegalArgumentException e) {
                throw new VmlatException(ExitCodes.USAGE, "--limit " + s + ": " + e.getMessage());
            }
        }
        if (file != null) {
            try {
                all.addAll(LimitsFile.parse(file.toString(), Files.readString(file)));
            } catch (IOException e) {
                throw new VmlatException(ExitCodes.ERROR, "--limits: cannot read " + file + ": " + e.getMessage());
            } catch (FormatException e) {
                throw new VmlatException(ExitCodes.USAGE, e.getMessage());
            }
        }
        return all;
    }

    boolean any() {
        return !inline.isEmpty() || file != null || junit != null;
    }

    /** Prints the outcome, writes the JUnit file if asked, and answers the exit code. */
    static int judge(List<Outcome> outcomes, String suite, Path junit, PrintWriter out) throws IOException {
        long failed = outcomes.stream().filter(o -> !o.passed()).count();
        for (Outcome o : outcomes) {
            if (!o.passed()) out.println((o.judged() ? "LIMIT FAILED  " : "NOT JUDGED    ") + o.scenario() + ": " + o.message());
        }
        long notJudged = outcomes.stream().filter(o -> !o.passed() && !o.judged()).count();
        out.println("Limits: " + (outcomes.size() - failed) + " of " + outcomes.size() + " passed"
                + (failed > notJudged ? ", " + (failed - notJudged) + " failed" : "") + (notJudged > 0 ? ", " + notJudged + " not judged" : "")
                + (failed > 0 ? " (exit " + ExitCodes.THRESHOLD + ")" : ""));
        if (junit != null) {
            Files.writeString(junit, JUnitXml.write(suite, outcomes));
            out.println("JUnit XML written to " + junit);
        }
        out.flush();
        return failed > 0 ? ExitCodes.THRESHOLD : ExitCodes.OK;
    }
}
