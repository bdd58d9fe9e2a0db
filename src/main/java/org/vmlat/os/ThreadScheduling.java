package org.vmlat.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * Scheduling of the calling thread. Linux applies {@code sched_setscheduler(0, ...)} and
 * {@code sched_setaffinity(0, ...)} to the calling thread only, which is what a probe thread
 * wants for itself.
 */
public final class ThreadScheduling {
    private ThreadScheduling() {}

    /** The calling thread's policy and priority now. */
    public record Current(SchedPolicy policy, int priority) {}

    public static Current current() {
        Memory p = new Memory(4);
        try {
            int policy = LibC.sched_getscheduler(0) & 0xff; // strip SCHED_RESET_ON_FORK
            LibC.sched_getparam(0, p);
            return new Current(SchedPolicy.of(policy), p.getInt(0));
        } catch (LastErrorException e) {
            throw new OsCallException("sched_getscheduler", e.getErrorCode());
        }
    }

    /**
     * Puts the calling thread under {@code policy} at {@code priority}.
     *
     * @throws OsCallException with EPERM when the process lacks CAP_SYS_NICE and RLIMIT_RTPRIO
     */
    public static void set(SchedPolicy policy, int priority) {
        Memory p = new Memory(4);
        p.setInt(0, policy.realtime() ? priority : 0);
        try {
            LibC.sched_setscheduler(0, policy.value, p);
        } catch (LastErrorException e) {
            throw new OsCallException("sched_setscheduler(" + policy.cliName() + ", " + priority + ")", e.getErrorCode());
        }
    }

    /** Puts another thread (by its tid, e.g. a QEMU vCPU thread) under a policy. */
    public static void setFor(int tid, SchedPolicy policy, int priority) {
        Memory p = new Memory(4);
        p.setInt(0, policy.realtime() ? priority : 0);
        try {
            LibC.sched_setscheduler(tid, policy.value, p);
        } catch (LastErrorException e) {
            throw new OsCallException("sched_setscheduler(tid " + tid + ", " + policy.cliName() + ", " + priority + ")", e.getErrorCode());
        }
    }

    /** Pins another thread (by its tid) to one CPU. */
    public static void pinThread(int tid, int cpu) {
        Memory mask = new Memory(8L * (cpu / 64 + 1));
        mask.clear();
        mask.setLong(8L * (cpu / 64), 1L << (cpu % 64));
        try {
            LibC.sched_setaffinity(tid, mask.size(), mask);
        } catch (LastErrorException e) {
            throw new OsCallException("sched_setaffinity(tid " + tid + ", cpu " + cpu + ")", e.getErrorCode());
        }
    }

    /** Pins the calling thread to one CPU. */
    public static void pin(int cpu) {
        int words = cpu / 64 + 1;
        Memory mask = new Memory(8L * words);
        mask.clear();
        mask.setLong(8L * (cpu / 64), 1L << (cpu % 64));
        try {
            LibC.sched_setaffinity(0, mask.size(), mask);
        } catch (LastErrorException e) {
            throw new OsCallException("sched_setaffinity(cpu " + cpu + ")", e.getErrorCode());
        }
    }

    /** Highest priority of a real-time policy (99 on Linux). */
    public static int maxPriority(SchedPolicy policy) {
        return LibC.sched_get_priority_max(policy.value);
    }
}
