package org.vmlat.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Platform;

/**
 * Another thread's full scheduling attributes through {@code sched_setattr}/{@code sched_getattr}
 * (what {@code chrt --deadline} uses): the only interface that sets SCHED_DEADLINE's runtime,
 * deadline and period, and that reads a thread's nice value and deadline parameters back.
 */
public final class DeadlineScheduling {
    public static final int SCHED_DEADLINE = 6;
    /** A thread the reserved thread starts comes back to SCHED_OTHER instead of the fork failing (EAGAIN). */
    public static final long SCHED_FLAG_RESET_ON_FORK = 0x01;
    /** struct sched_attr as of Linux 3.14 (SCHED_ATTR_SIZE_VER0): the kernel accepts it from every later version. */
    private static final int ATTR_SIZE = 48;

    private DeadlineScheduling() {}

    /**
     * A thread's scheduling attributes as the kernel holds them: policy (0 other, 1 fifo, 2 rr,
     * 3 batch, 5 idle, 6 deadline), flags, nice (normal policies), priority (fifo, rr), and the
     * deadline parameters in ns (0 unless policy is deadline).
     */
    public record Attributes(int policy, long flags, int nice, int priority, long runtimeNs, long deadlineNs, long periodNs) {
        public Attributes {
            if (policy < 0) throw new IllegalArgumentException("policy: must be >= 0, got " + policy);
            if (priority < 0 || priority > 99) throw new IllegalArgumentException("priority: expected 0..99, got " + priority);
            if (nice < -20 || nice > 19) throw new IllegalArgumentException("nice: expected -20..19, got " + nice);
            if (runtimeNs < 0 || deadlineNs < 0 || periodNs < 0) throw new IllegalArgumentException("deadline parameters must be >= 0");
        }

        public static Attributes deadline(long runtimeNs, long deadlineNs, long periodNs, long flags) {
            return new Attributes(SCHED_DEADLINE, flags, 0, 0, runtimeNs, deadlineNs, periodNs);
        }

        public boolean isDeadline() {
            return policy == SCHED_DEADLINE;
        }
    }

    /** A thread's attributes now. */
    public static Attributes of(int tid) {
        Memory a = new Memory(ATTR_SIZE);
        a.clear();
        try {
            LibC.syscall(number(false), tid, a, ATTR_SIZE, 0);
        } catch (LastErrorException e) {
            throw new OsCallException("sched_getattr(tid " + tid + ")", e.getErrorCode());
        }
        return new Attributes(a.getInt(4), a.getLong(8), a.getInt(16), a.getInt(20), a.getLong(24), a.getLong(32), a.getLong(40));
    }

    /**
     * Sets a thread's attributes.
     *
     * @throws OsCallException EBUSY when the deadline admission refuses the bandwidth, EPERM
     *                         without CAP_SYS_NICE or when the thread's affinity does not span its
     *                         root domain (a pinned thread cannot be a deadline thread), EINVAL for
     *                         parameters the kernel rejects (runtime > deadline > period, below 1 µs...)
     */
    public static void set(int tid, Attributes attr) {
        Memory a = new Memory(ATTR_SIZE);
        a.clear();
        a.setInt(0, ATTR_SIZE);
        a.setInt(4, attr.policy());
        a.setLong(8, attr.flags());
        a.setInt(16, attr.nice());
        a.setInt(20, attr.priority());
        a.setLong(24, attr.runtimeNs());
        a.setLong(32, attr.deadlineNs());
        a.setLong(40, attr.periodNs());
        try {
            LibC.syscall(number(true), tid, a, 0, 0);
        } catch (LastErrorException e) {
            throw new OsCallException("sched_setattr(tid " + tid + ", " + describe(attr) + ")", e.getErrorCode());
        }
    }

    /** "deadline 2000000/10000000/10000000 ns", "other nice 0", "fifo 90", for messages and records. */
    public static String describe(Attributes a) {
        return switch (a.policy()) {
            case SCHED_DEADLINE -> "deadline " + a.runtimeNs() + "/" + a.deadlineNs() + "/" + a.periodNs() + " ns";
            case 1 -> "fifo " + a.priority();
            case 2 -> "rr " + a.priority();
            case 0 -> "other nice " + a.nice();
            case 3 -> "batch nice " + a.nice();
            case 5 -> "idle";
            default -> "policy " + a.policy();
        };
    }

    private static long number(boolean set) {
        if (Platform.isIntel() && Platform.is64Bit()) return set ? 314 : 315;
        if (Platform.isARM() && Platform.is64Bit()) return set ? 274 : 275;
        throw new OsCallException("sched_setattr (no system call number known for " + System.getProperty("os.arch") + ")", Errno.EINVAL);
    }
}
