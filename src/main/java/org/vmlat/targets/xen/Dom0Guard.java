package org.vmlat.targets.xen;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
                + "for g in " + run + "/loads/" + prefix + "*.pid; do [ -e \"$g\" ] || continue; " + Dom0.stopLoadScript("\"$g\"") + "; done; "
                + "for pool in $(xl cpupool-list | awk 'NR>1 {print $1}'); do case $pool in " + prefix + "*) "
                + "cpus=$(xl cpupool-list -c $pool | awk 'NR>1 {print $2}'); " + Dom0.destroyPoolScript("$pool", "\"$cpus\"") + ";; "
                + "esac; done; "
                + "rm -f " + run + "/" + prefix + "*; true";
    }

    /**
     * Starts the guard of the names {@code prefix*} over {@code ssh}'s connection and waits until Dom0 says it runs:
     * only then is it sure to clean up after anything this vmlat creates there (a connection closed before the
     * remote shell started would run nothing).
     *
     * @return null when it did not start; {@code why} then holds the reason (a session refused, a shell that failed)
     */
    static Dom0Guard start(SshSession ssh, String prefix, StringBuilder why) {
        Process p = ssh.open("trap '' HUP INT TERM PIPE; echo " + READY + "; cat >/dev/null; " + cleanup(prefix));
        CompletableFuture<String> first = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                first.complete(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine());
            } catch (IOException e) {
                first.complete(null);
            }
        }, "vmlat-dom0-guard-start");
        reader.setDaemon(true);
        reader.start();
        String line;
        boolean answered = false;
        try {
            line = first.get(READY_WAIT_MS, TimeUnit.MILLISECONDS);
            answered = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            line = null;
        } catch (ExecutionException | TimeoutException e) {
            line = null;
        }
        if (READY.equals(line)) return new Dom0Guard(p);
        String err = "";
        try {
            // what ssh said, read before the process is destroyed (that closes its streams)
            if (p.waitFor(answered ? 5 : 0, TimeUnit.SECONDS)) err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException | InterruptedException e) {
            // the reason stays without ssh's words
        }
        p.destroyForcibly();
        why.append(!answered ? "no answer within " + READY_WAIT_MS / 1000 + " s" : line == null ? "its shell ended at once" : "it said \"" + line + "\"")
                .append(err.isEmpty() ? "" : ": " + err);
        return null;
    }

    private static final String READY = "vmlat-guard-ready";
    private static final long READY_WAIT_MS = 30_000;

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
