package org.vmlat.sched.server;

/**
 * A periodic server that supplies {@code budgetNs} of processor time every {@code periodNs},
 * within {@code deadlineNs} of the start of each period: the explicit-deadline periodic (EDP)
 * resource model Omega = (Pi, Theta, Delta) of Easwaran, Anand and Lee ("Compositional analysis
 * framework using EDP resource models", RTSS 2007). With Delta = Pi it is the periodic resource
 * model Gamma = (Pi, Theta) of Shin and Lee ("Periodic resource model for compositional real-time
 * guarantees", RTSS 2003). In SCHED_DEADLINE terms: runtime = Theta, deadline = Delta,
 * period = Pi.
 *
 * <p>The supply bound function (least supply in any window of length t) is
 * {@code sbf(t) = y Theta + max(0, t - x - y Pi)} for {@code t >= Delta - Theta}, else 0, where
 * {@code x = Pi + Delta - 2 Theta} and {@code y = floor((t - (Delta - Theta)) / Pi)}: the worst case
 * receives the budget as early as possible in one period and as late as possible in the next.
 */
public record PeriodicServer(long periodNs, long budgetNs, long deadlineNs) {

    public PeriodicServer {
        if (periodNs <= 0) throw new IllegalArgumentException("period must be > 0, got " + periodNs);
        if (budgetNs < 0 || budgetNs > deadlineNs) {
            throw new IllegalArgumentException("budget must be within 0..deadline, got " + budgetNs);
        }
        if (deadlineNs > periodNs) throw new IllegalArgumentException("deadline must be <= period, got " + deadlineNs);
    }

    /** The periodic resource model (deadline = period). */
    public static PeriodicServer prm(long periodNs, long budgetNs) {
        return new PeriodicServer(periodNs, budgetNs, periodNs);
    }

    public long sbf(long t) {
        long start = deadlineNs - budgetNs;
        if (t < start || budgetNs == 0) return 0;
        long x = periodNs + deadlineNs - 2 * budgetNs;
        long y = Math.floorDiv(t - start, periodNs);
        return Math.addExact(Math.multiplyExact(y, budgetNs), Math.max(0, t - x - Math.multiplyExact(y, periodNs)));
    }

    /**
     * sbf delayed by L: nothing for the first L, then sbf(t - L). This is exactly the supply of the
     * EDP server (Pi, Theta, Delta + L): every period's budget may arrive up to L late, deferred but
     * not lost (a SCHED_DEADLINE reservation whose thread was held up keeps its runtime).
     */
    public long sbf(long t, long delayNs) {
        return t <= delayNs ? 0 : sbf(t - delayNs);
    }

    /**
     * The least supply in a window of length t when, once in that window, the processor is lost for
     * at most L: {@code max(0, sbf(t) - L)}. Never more than {@link #sbf(long, long)}, because sbf
     * grows by at most 1 per ns ({@code sbf(t) - L <= sbf(t - L)}); so it also covers a budget that
     * is up to L late in every period.
     */
    public long sbfAfterOutage(long t, long outageNs) {
        return Math.max(0, sbf(t) - outageNs);
    }

    public double bandwidth() {
        return (double) budgetNs / periodNs;
    }
}
