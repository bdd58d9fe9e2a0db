package org.vmlat.os;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts child processes that cannot outlive vmlat, even when vmlat is killed with SIGKILL and no
 * Java code runs any more. Java cannot run code between fork and exec, so each child runs under
 * a small supervisor:
 *
 * <pre>
 *   setsid setpriv --pdeathsig USR1 -- sh -c SUPERVISOR vmlat-supervisor VMLAT_PID COMMAND...
 * </pre>
 *
 * <ul>
 *   <li>{@code setsid} makes the supervisor the leader of a new session and process group, which
 *       the command and every worker it forks (stress-ng, hackbench) join;</li>
 *   <li>{@code setpriv --pdeathsig} asks the kernel (prctl PR_SET_PDEATHSIG) to send SIGUSR1 to
 *       the supervisor when its parent dies; the supervisor then SIGKILLs its whole group. A
 *       supervisor whose parent is already gone when it starts ends the group at once;</li>
 *   <li>SIGTERM and SIGINT sent to the supervisor alone are passed on to the command, so a
 *       graceful stop (cyclictest prints its histogram on SIGTERM) still works; its exit status
 *       is the command's.</li>
 * </ul>
 *
 * <p>The kernel sends the parent-death signal when the <em>thread</em> that forked the child
 * ends, not the process; every child is therefore started from one long-lived thread of this
 * class, which ends only with the JVM.
 *
 * <p>Where setpriv lacks {@code --pdeathsig} (util-linux before 2.33) children are started with
 * {@code setsid} alone; {@link #diesWithVmlat()} then answers false and the records of the state
 * folder are the only safety net.
 */
public final class ChildProcesses {
    /** Ends the whole group when vmlat dies; passes SIGTERM/SIGINT on to the command. */
    static final String SUPERVISOR = String.join("\n",
            "trap 'kill -KILL 0' USR1",
            "trap 'kill -TERM $c 2>/dev/null' TERM",
            "trap 'kill -INT $c 2>/dev/null' INT",
            "[ \"$PPID\" = \"$1\" ] || kill -KILL 0", // vmlat died before the death signal was armed
            "shift",
            "\"$@\" &",
            "c=$!",
            // a trapped TERM interrupts wait, which then says 143 for a command that may already have ended on
            // its own terms: the command's status is then fetched with one more wait (127: the first had it)
            "while :; do wait $c; r=$?; kill -0 $c 2>/dev/null && continue; wait $c 2>/dev/null; s=$?; [ $s -eq 127 ] || r=$s; exit $r; done");

    private static final boolean PDEATHSIG = setprivHasPdeathsig();

    private static final ExecutorService STARTER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vmlat-child-starter");
        t.setDaemon(true);
        return t;
    });

    private ChildProcesses() {}

    /** Whether children are killed by the kernel when vmlat dies (setpriv --pdeathsig is available). */
    public static boolean diesWithVmlat() {
        return PDEATHSIG;
    }

    /**
     * Starts {@code builder}'s command under a supervisor. The builder's redirections and
     * environment apply; the command's stdin is /dev/null.
     */
    public static ChildProcess start(ProcessBuilder builder) throws IOException {
        List<String> command = List.copyOf(builder.command());
        if (command.isEmpty()) throw new IllegalArgumentException("command: must not be empty");
        ProcessBuilder pb = new ProcessBuilder(builder.command()); // the caller's builder is left untouched
        pb.command(wrap(command));
        pb.directory(builder.directory());
        pb.environment().clear();
        pb.environment().putAll(builder.environment());
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.redirectOutput(builder.redirectOutput());
        pb.redirectError(builder.redirectError());
        pb.redirectErrorStream(builder.redirectErrorStream());
        Future<Process> started = STARTER.submit(pb::start);
        Process p;
        try {
            p = started.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // the start itself is not interruptible: wait for it so the child is not lost
            try {
                p = started.get();
            } catch (InterruptedException | ExecutionException again) {
                throw new IOException("starting " + command.get(0) + " was interrupted", again);
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
        p.getOutputStream().close();
        return new ChildProcess(p, command, PDEATHSIG);
    }

    static List<String> wrap(List<String> command) {
        List<String> argv = new ArrayList<>();
        argv.add("setsid");
        if (PDEATHSIG) {
            argv.addAll(List.of("setpriv", "--pdeathsig", "USR1", "--", "sh", "-c", SUPERVISOR, "vmlat-supervisor",
                    Long.toString(ProcessHandle.current().pid())));
        }
        argv.addAll(command);
        return argv;
    }

    private static boolean setprivHasPdeathsig() {
        try {
            Process p = new ProcessBuilder("setpriv", "--help").redirectErrorStream(true).start();
            String help = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return help.contains("--pdeathsig");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
