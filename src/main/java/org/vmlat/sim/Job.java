package org.vmlat.sim;

/** A released job while it waits or runs: mutable state private to the simulator. */
final class Job {
    final int task;
    final long index;
    final long nominalNs;
    final long readyNs;
    final long deadlineNs;
    long remainingNs;

    Job(int task, long index, long nominalNs, long readyNs, long deadlineNs, long wcetNs) {
        this.task = task;
        this.index = index;
        this.nominalNs = nominalNs;
        this.readyNs = readyNs;
        this.deadlineNs = deadlineNs;
        this.remainingNs = wcetNs;
    }
}
