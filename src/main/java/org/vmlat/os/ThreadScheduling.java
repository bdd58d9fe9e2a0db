package org.vmlat.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Another thread's scheduling as the kernel numbers it (any policy: batch and idle too, which
     * {@link SchedPolicy} does not offer the probe), and its CPU affinity.
     *
     * @param policy   SCHED_* value (0 other, 1 fifo, 2 rr, 3 batch, 5 idle, 6 deadline)
     * @param priority its real-time priority (0 for the normal policies)
     * @param cpus     the CPUs it may run on, ascending
     */
    public record OfThread(int policy, int priority, List<Integer> cpus) {
        public OfThread {
            if (policy < 0) throw new IllegalArgumentException("policy: must be >= 0, got " + policy);
            if (priority < 0 || priority > 99) throw new IllegalArgumentException("priority: expected 0..99, got " + priority);
            cpus = List.copyOf(cpus);
        }
    }

    /** Another thread's (by its tid) policy, priority and affinity now. */
    public static OfThread of(int tid) {
        Memory p = new Memory(4);
        int policy;
        try {
            policy = LibC.sched_getscheduler(tid) & 0xff; // strip SCHED_RESET_ON_FORK
            LibC.sched_getparam(tid, p);
        } catch (LastErrorException e) {
            throw new OsCallException("sched_getscheduler(tid " + tid + ")", e.getErrorCode());
        }
        Memory mask = new Memory(AFFINITY_BYTES);
        mask.clear();
        try {
            LibC.sched_getaffinity(tid, AFFINITY_BYTES, mask);
        } catch (LastErrorException e) {
            throw new OsCallException("sched_getaffinity(tid " + tid + ")", e.getErrorCode());
        }
        List<Integer> cpus = new ArrayList<>();
        for (int w = 0; w < AFFINITY_BYTES / 8; w++) {
            long bits = mask.getLong(8L * w);
            for (int b = 0; b < 64; b++) if ((bits & (1L << b)) != 0) cpus.add(w * 64 + b);
        }
        return new OfThread(policy, p.getInt(0), cpus);
    }

    /**
     * Puts another thread under a policy by its kernel number (batch and idle included).
     *
     * @throws OsCallException with EPERM without CAP_SYS_NICE over that thread
     */
    public static void setFor(int tid, int policy, int priority) {
        Memory p = new Memory(4);
        p.setInt(0, priority);
        try {
            LibC.sched_setscheduler(tid, policy, p);
        } catch (LastErrorException e) {
            throw new OsCallException("sched_setscheduler(tid " + tid + ", policy " + policy + ", " + priority + ")", e.getErrorCode());
        }
    }

    /** Room for 1024 CPUs, glibc's cpu_set_t. */
    private static final int AFFINITY_BYTES = 128;

    /** Highest priority of a real-time policy (99 on Linux). */
    public static int maxPriority(SchedPolicy policy) {
        return LibC.sched_get_priority_max(policy.value);
    }
}
