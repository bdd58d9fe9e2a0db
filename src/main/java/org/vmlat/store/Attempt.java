package org.vmlat.store;

/**
 * One attempt at measuring a scenario: a scenario interrupted and then re-run has two, and the
 * samples of both stay in the store.
 *
 * @param number   1 for the first attempt, counting up
 * @param finished whether this attempt's results are final (it ran to its end)
 * @param samples  samples stored for this attempt, summed over its threads
 */
public record Attempt(int number, boolean finished, long samples) {
    public Attempt {
        if (number < 0) throw new IllegalArgumentException("number: must be 0 or more, got " + number);
        if (samples < 0) throw new IllegalArgumentException("samples: must be 0 or more, got " + samples);
    }
}
