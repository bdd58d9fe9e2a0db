package org.vmlat.explain;

/**
 * The three parts of a wake-up latency {@code L = L¹ + L² + I} in the study's framework.
 */
public enum Part {
    /** The timer interrupt came late: from the timer's expiry to the interrupt that ran its handler. */
    TIMER_LATE("L1", "timer interrupt late"),
    /** The woken thread waited for a context that could not be preempted: the kernel's own wake-up path, a lower
     *  or equal priority task that kept the CPU, the return to user space. */
    NON_PREEMPTIBLE("L2", "non-preemptible"),
    /** Higher-priority work ran first: tasks of a higher priority, interrupt handlers, softirqs, other timers. */
    INTERFERENCE("I", "interference");

    private final String symbol;
    private final String meaning;

    Part(String symbol, String meaning) {
        this.symbol = symbol;
        this.meaning = meaning;
    }

    /** L1, L2 or I, as reports print it. */
    public String symbol() {
        return symbol;
    }

    public String meaning() {
        return meaning;
    }
}
