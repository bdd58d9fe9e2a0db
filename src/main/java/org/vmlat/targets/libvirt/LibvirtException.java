package org.vmlat.targets.libvirt;

/** libvirt refused or failed a request about a domain; the message names the command and libvirt's reason. */
public final class LibvirtException extends RuntimeException {
    public LibvirtException(String message) {
        super(message);
    }

    public LibvirtException(String message, Throwable cause) {
        super(message, cause);
    }
}
