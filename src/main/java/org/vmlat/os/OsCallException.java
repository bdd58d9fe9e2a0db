package org.vmlat.os;

/** A system call that failed, with its errno, so callers can tell EPERM from ENOMEM. */
public class OsCallException extends RuntimeException {
    private final int errno;

    public OsCallException(String call, int errno) {
        super(call + " failed: " + LibC.describe(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
