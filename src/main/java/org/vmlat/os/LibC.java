package org.vmlat.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few libc calls vmlat needs, bound with JNA's direct mapping: no per-call allocation and no
 * reflection, which keeps {@code clock_nanosleep} cheap enough for the probe loop.
 *
 * <p>Pointers passed here must be {@link com.sun.jna.Memory} objects that the caller keeps
 * strongly reachable for as long as the call may use them (a field, not a temporary): a buffer
 * known only by its raw address can be collected while the kernel still writes to it.
 */
public final class LibC {
    public static final int CLOCK_MONOTONIC = 1;
    public static final int TIMER_ABSTIME = 1;
    public static final int SCHED_OTHER = 0;
    public static final int SCHED_FIFO = 1;
    public static final int SCHED_RR = 2;
    public static final int SCHED_BATCH = 3;
    public static final int MCL_CURRENT = 1;
    public static final int MCL_FUTURE = 2;
    public static final int MCL_ONFAULT = 4;
    public static final int EINTR = 4;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private LibC() {}

    /** Returns 0 or an errno value (it does not set errno). */
    public static native int clock_nanosleep(int clockId, int flags, Pointer request, Pointer remain);

    public static native int clock_gettime(int clockId, Pointer timespec) throws LastErrorException;

    public static native int sched_setscheduler(int pid, int policy, Pointer param) throws LastErrorException;

    public static native int sched_getscheduler(int pid) throws LastErrorException;

    public static native int sched_getparam(int pid, Pointer param) throws LastErrorException;

    public static native int sched_get_priority_max(int policy) throws LastErrorException;

    public static native int sched_setaffinity(int pid, long cpusetsize, Pointer mask) throws LastErrorException;

    /** Returns the number of bytes of the mask the kernel wrote. */
    public static native int sched_getaffinity(int pid, long cpusetsize, Pointer mask) throws LastErrorException;

    public static native int mlockall(int flags) throws LastErrorException;

    public static native int munlockall() throws LastErrorException;

    public static native int gettid();

    /**
     * The raw system call with four arguments (sched_setattr and sched_getattr, which glibc
     * before 2.41 does not wrap); glibc's syscall() reads its arguments as integers only.
     */
    public static native long syscall(long number, long arg1, Pointer arg2, long arg3, long arg4) throws LastErrorException;

    /** Returns 0 or -1 (errno is not needed: a vanished process is not an error for vmlat). */
    public static native int kill(int pid, int sig);

    public static native String strerror(int errnum);

    /** "EPERM (Operation not permitted)" style text for an errno value. */
    public static String describe(int errno) {
        return Errno.name(errno) + " (" + strerror(errno) + ")";
    }
}
