package org.vmlat.os;

import com.sun.jna.LastErrorException;

/** {@code mlockall(MCL_CURRENT | MCL_FUTURE)}: no page fault may delay a wake-up. */
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
            throw new OsCallException("mlockall(MCL_CURRENT|MCL_FUTURE)", e.getErrorCode());
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
