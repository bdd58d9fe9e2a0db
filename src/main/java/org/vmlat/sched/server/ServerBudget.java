package org.vmlat.sched.server;

/**
 * What a VM's reservation must be: the least budget its tasks need, the per-period overhead on
 * top, and the runtime to reserve ({@code taskBudgetNs + overheadNs}), or why no reservation of
 * this period and deadline can serve the VM.
 *
 * @param taskBudgetNs the least budget the tasks need per period, -1 when none suffices
 * @param overheadNs   the cost paid once per period on top of the tasks' budget
 * @param runtimeNs    the budget to reserve (SCHED_DEADLINE runtime), -1 when infeasible
 * @param reason       why it is infeasible (empty when feasible)
 */
public record ServerBudget(long taskBudgetNs, long overheadNs, long runtimeNs, String reason) {

    public ServerBudget {
        if (overheadNs < 0) throw new IllegalArgumentException("overhead: must be >= 0, got " + overheadNs + " ns");
        if (runtimeNs >= 0 && runtimeNs != taskBudgetNs + overheadNs) {
            throw new IllegalArgumentException("runtime: must equal task budget + overhead, got " + runtimeNs + " ns");
        }
        if ((runtimeNs < 0) == (reason == null || reason.isEmpty())) {
            throw new IllegalArgumentException("reason: an infeasible budget needs one and a feasible one none, got \"" + reason + "\"");
        }
    }

    static ServerBudget infeasible(long taskBudgetNs, long overheadNs, String reason) {
        return new ServerBudget(taskBudgetNs, overheadNs, -1, reason);
    }

    public boolean feasible() {
        return runtimeNs >= 0;
    }
}
