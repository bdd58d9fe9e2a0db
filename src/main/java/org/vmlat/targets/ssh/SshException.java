package org.vmlat.targets.ssh;

import org.vmlat.probe.ProbeException;

/** A remote command could not be run, or the machine could not be reached; the message says which and how to fix it. */
public final class SshException extends ProbeException {
    public SshException(String message) {
        super(message);
    }
}
