package org.vmlat.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vmlat.report.LimitCheck.Outcome;
import org.vmlat.stats.Comparison;

/**
 * A regression gate over a comparison of a base run (A) with a new one (B): a percentile regresses
 * when B is worse than A by more than the margin beyond the bootstrap interval, i.e. when even the
 * interval's lower end of B - A exceeds {@code margin} x A. A difference the data cannot tell from
 * noise, or one within the margin, passes.
 */
public final class RegressionCheck {
    private RegressionCheck() {}

    /** @param margin the allowed slowdown as a fraction of A (0.10 for 10 %), 0..10 */
    public static List<Outcome> check(String scenario, List<Comparison.Row> rows, double margin) {
        if (!(margin >= 0 && margin <= 10)) throw new IllegalArgumentException("margin: expected 0..10 (a fraction of A), got " + margin);
        List<Outcome> out = new ArrayList<>();
        for (Comparison.Row r : rows) {
            String p = "p" + (r.percentile() == Math.rint(r.percentile()) ? Long.toString((long) r.percentile()) : Double.toString(r.percentile()));
            double allowedNs = margin * r.aNs();
            boolean regressed = r.lowNs() > allowedNs;
            String name = p + " regression <= " + trim(margin * 100) + "%";
            String message = String.format(Locale.ROOT, "%s %.1f us -> %.1f us: B - A %+.1f us, interval [%+.1f, %+.1f] us, allowed %+.1f us",
                    p, r.aNs() / 1e3, r.bNs() / 1e3, r.diffNs() / 1e3, r.lowNs() / 1e3, r.highNs() / 1e3, allowedNs / 1e3);
            out.add(new Outcome(scenario, name, r.diffNs(), !regressed, (regressed ? "regressed: " : "no regression: ") + message));
        }
        return out;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
