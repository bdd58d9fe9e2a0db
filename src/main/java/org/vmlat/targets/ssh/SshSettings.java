package org.vmlat.targets.ssh;

import java.nio.file.Path;

/**
 * How to reach a remote machine with the system's OpenSSH client: keys only (BatchMode, no
 * password prompts), host keys checked against known_hosts unless {@code checkHostKey} is off.
 *
 * @param identity   the private key (null = the ssh client's defaults and agent)
 * @param knownHosts the known_hosts file (null = the user's)
 */
public record SshSettings(String host, int port, String user, Path identity, Path knownHosts, boolean checkHostKey) {
    public SshSettings {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host is missing");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is not 1..65535");
    }

    /** user@host:port, as messages name the machine. */
    public String where() {
        return (user == null || user.isBlank() ? "" : user + "@") + host + ":" + port;
    }
}
