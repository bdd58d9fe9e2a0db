package org.vmlat.targets.xen;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.vmlat.targets.ssh.SshSession;

/**
 * A dead-man switch in Dom0 for one vmlat process: a shell there that waits for the end of its input, which only
 * this vmlat holds open, then destroys every domain, Dom0 load and cpupool named after this process. A vmlat killed
 * with SIGKILL leaves nothing running in Dom0 either: its end closes the input, and the shell ignores the hang-up
 * that comes with the lost connection. A vmlat that ends normally closes the input itself and waits for the
 * clean-up, so Dom0 is clean when it returns.
 */
final class Dom0Guard implements AutoCloseable {
    /** How long a normal end waits for the clean-up: destroying an HVM guest under emulation takes up to a minute. */
    private static final long CLOSE_WAIT_MS = 150_000;

    private final Process ssh;

    private Dom0Guard(Process ssh) {
        this.ssh = ssh;
    }

    /**
     * A Dom0 shell script that ends everything named {@code prefix*}: domains and their console readers, loads (their
     * whole process group), cpupools (their CPUs back to Pool-0) and their files. Output goes nowhere: the connection
     * it would be written to may be gone.
     *
     * @param prefix the names' common start, {@code vmlat-HOST-PID-}: letters, digits and '-' only
     */
    static String cleanup(String prefix) {
        if (!prefix.matches("vmlat-[A-Za-z0-9-]+-")) throw new IllegalArgumentException("not a vmlat name prefix: " + prefix);
        String run = Dom0.RUN_DIR;
        return "exec >/dev/null 2>&1; PATH=$PATH:/usr/sbin:/usr/lib/xen/bin; "
                + "for d in $(xl list | awk 'NR>1 {print $1}'); do case $d in " + prefix + "*) xl destroy $d;; esac; done; "
                + "for f in " + run + "/" + prefix + "*.console.pid; do [ -e \"$f\" ] && kill $(cat \"$f\"); done; "
                + "for f in " + run + "/loads/" + prefix + "*.pid; do [ -e \"$f\" ] || continue; p=$(cat \"$f\"); "
                + "[ -n \"$p\" ] && { kill -TERM -$p; sleep 1; kill -KILL -$p; }; rm -f \"$f\" \"${f%.pid}.log\"; done; "
                // a pool is destroyed with its CPUs freed, which go back to Pool-0; a guest still being torn down keeps it busy
                + "for pool in $(xl cpupool-list | awk 'NR>1 {print $1}'); do case $pool in " + prefix + "*) "
                + "cpus=$(xl cpupool-list -c $pool | awk 'NR>1 {print $2}'); "
                + "for i in $(seq 120); do xl cpupool-destroy $pool && break; sleep 1; done; [ -n \"$cpus\" ] && xl cpupool-cpu-add Pool-0 $cpus;; "
                + "esac; done; "
                + "rm -f " + run + "/" + prefix + "*; true";
    }

    /** Starts the guard of the names {@code prefix*} over {@code ssh}'s connection. */
    static Dom0Guard start(SshSession ssh, String prefix) {
        return new Dom0Guard(ssh.open("trap '' HUP INT TERM PIPE; cat >/dev/null; " + cleanup(prefix)));
    }

    /** Whether the guard still waits in Dom0; one that ended early (the connection broke) guards nothing. */
    boolean alive() {
        return ssh.isAlive();
    }

    /** Ends this vmlat's presence in Dom0: the guard cleans up, and this waits for it. */
    @Override
    public void close() {
        try {
            ssh.getOutputStream().close();
            if (!ssh.waitFor(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) ssh.destroyForcibly();
        } catch (IOException e) {
            ssh.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // the guard is left to clean up on its own: its input is closed
        }
    }
}
