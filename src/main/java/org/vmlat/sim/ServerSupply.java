package org.vmlat.sim;

/**
 * A periodic server: the task set gets {@code budgetNs} of processor time in every period of
 * {@code periodNs}, from the start of the period until the budget is used (the budget of a period
 * is not carried over). Within the periodic resource model (Shin and Lee, RTSS 2003) this is one of
 * the supplies the analysis covers; the worst one is not reproduced.
 */
public record ServerSupply(long budgetNs, long periodNs) {
    public ServerSupply {
        if (periodNs <= 0) throw new IllegalArgumentException("period: must be > 0, got " + periodNs + " ns");
        if (budgetNs <= 0 || budgetNs > periodNs) {
            throw new IllegalArgumentException("budget: must satisfy 0 < budget <= period (" + periodNs + " ns), got " + budgetNs + " ns");
        }
    }
}
