package org.vmlat.os;

import com.sun.jna.LastErrorException;

/**
 * {@code mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)}: no page the process has touched, or
 * touches later, may be paged out and delay a wake-up. MCL_ONFAULT (Linux 4.4) locks pages as
 * they are touched instead of reading in every mapping: without it the JDK's module image alone
 * (125 MB, mapped whole, of which a JVM reads a few MB) became resident. What the probe loop
 * touches is touched before measuring (its warm-up runs the same code on the real clock, and the
 * heap is pre-touched), so it is locked when the measurement starts. Older kernels reject the
 * flag (EINVAL) and get the plain form.
 */
public final class MemoryLock implements AutoCloseable {
    private MemoryLock() {}

    /**
     * @throws OsCallException EPERM without CAP_IPC_LOCK, or ENOMEM when RLIMIT_MEMLOCK is smaller
     *                         than the process (the usual case for an unprivileged JVM)
     */
    public static MemoryLock lockAll() {
        try {
            LibC.mlockall(LibC.MCL_CURRENT | LibC.MCL_FUTURE | LibC.MCL_ONFAULT);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.EINVAL) throw new OsCallException("mlockall(MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT)", e.getErrorCode());
            try {
                LibC.mlockall(LibC.MCL_CURRENT | LibC.MCL_FUTURE);
            } catch (LastErrorException e2) {
                throw new OsCallException("mlockall(MCL_CURRENT|MCL_FUTURE)", e2.getErrorCode());
            }
        }
        return new MemoryLock();
    }

    @Override
    public void close() {
        try {
            LibC.munlockall();
        } catch (LastErrorException e) {
            throw new OsCallException("munlockall", e.getErrorCode());
        }
    }
}
