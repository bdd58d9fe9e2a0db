package org.vmlat.targets.qemu;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmlat.os.command.CommandException;
import org.vmlat.os.command.RunningCommand;
import org.vmlat.probe.ProbeException;
import org.vmlat.targets.KernelTrace;
import org.vmlat.targets.ssh.SshMachine;
import org.vmlat.targets.ssh.SshSession;

/**
 * The host side of a traced guest whose QEMU runs on another machine (a KVM host reached over SSH): a shell there
 * records, in a tracefs instance of its own on the {@code mono} clock, the scheduler events of QEMU's threads and
 * KVM's {@code kvm_exit}/{@code kvm_entry}/{@code kvm_msr}, from the guest's {@code VMLAT-START} to the end of the
 * measurement, and makes the clock round trips that align the guest's trace with that machine's: it marks
 * {@code vmlat-host-sync-send N} in its own trace, writes N into the guest's {@code vmlat-sync} port (a QEMU
 * {@code pipe} chardev: two FIFOs, since a shell cannot open a Unix socket), reads the echo and marks
 * {@code vmlat-host-sync-recv N}. The guest marks {@code vmlat-sync N} in between, as it does for a local host. The
 * trace comes back gzip-compressed (base64 over SSH) with the thread names and the round trips read from it.
 */
final class RemoteHostTrace implements AutoCloseable {
    /** QEMU's chardev for the guest's vmlat-sync port there: FIFOs {@code sync.in} and {@code sync.out} in the guest's directory. */
    static final String SYNC_PIPE = "sync";
    private static final long SSH_TIMEOUT_MS = 60_000;
    private static final String QEMU = "%1$s ~ \"CPU *\" || %1$s ~ \"qemu-system*\"";
    private static final Pattern MARK = Pattern.compile("\\s(\\d+)\\.(\\d{6}):\\s+tracing_mark_write: vmlat-host-sync-(send|recv) (\\d+)\\s*$");

    private final SshMachine machine;
    private final String dir;
    private final RunningCommand running;
    private final List<String> output;

    private RemoteHostTrace(SshMachine machine, String dir, RunningCommand running, List<String> output) {
        this.machine = machine;
        this.dir = dir;
        this.running = running;
        this.output = output;
    }

    /** The FIFOs QEMU's pipe chardev opens: made before QEMU starts. */
    static void prepare(SshMachine machine, String dir) {
        String d = SshSession.quote(dir + "/" + SYNC_PIPE);
        SshSession.Result r = machine.ssh().run("mkfifo " + d + ".in " + d + ".out", null, SSH_TIMEOUT_MS);
        if (!r.ok()) throw new ProbeException("cannot make the clock round trips' FIFOs on " + machine.where() + ": " + r.err().strip());
    }

    /**
     * Starts the recorder there (before QEMU: it waits for the guest's console to say the measurement starts).
     *
     * @param avoidCpus the CPUs the vCPUs are pinned to there, which the recorder keeps off
     */
    static RemoteHostTrace start(SshMachine machine, String dir, List<Integer> avoidCpus) {
        List<String> lines = new ArrayList<>();
        try {
            RunningCommand c = machine.runner().start(List.of("sh", "-c", script(dir, avoidCpus)), (channel, line) -> {
                synchronized (lines) {
                    lines.add(line);
                }
            });
            return new RemoteHostTrace(machine, dir, c, lines);
        } catch (CommandException e) {
            throw new ProbeException("cannot trace the host side on " + machine.where() + ": " + e.getMessage(), e);
        }
    }

    /** QEMU's threads there, thread id to name, once its vCPU threads run (read while QEMU runs: it ends with the guest). */
    Map<Integer, String> threads(int vcpus) {
        String listing = machine.ssh().run(RemoteQemuHost.threadsScript(dir, vcpus), null, (RemoteQemuHost.THREADS_WAIT_S + 30) * 1000L).out();
        Map<Integer, String> out = new LinkedHashMap<>();
        for (String line : listing.split("\n")) {
            String[] w = line.strip().split(" ", 2);
            if (w.length == 2 && w[0].matches("\\d+")) out.put(Integer.parseInt(w[0]), w[1].strip());
        }
        return out;
    }

    /** What came back: the host's trace, the round trips read from its marks. */
    record Recorded(KernelTrace.HostTrace trace, List<KernelTrace.RoundTrip> roundTrips) {}

    /**
     * Stops the recorder and brings its trace here.
     *
     * @throws ProbeException when it failed there (tracefs missing, not root) or sent nothing
     */
    Recorded stop() throws InterruptedException {
        machine.ssh().run("touch " + SshSession.quote(dir + "/trace.stop"), null, SSH_TIMEOUT_MS);
        boolean ended = running.waitFor(120_000_000_000L);
        List<String> said;
        synchronized (output) {
            said = List.copyOf(output);
        }
        long overruns = -1;
        for (String l : said) {
            if (l.startsWith("VMLAT-HOSTTRACE-FAIL ")) throw new ProbeException("the host side is not traced on " + machine.where() + ": " + l.substring(21));
            if (l.startsWith("VMLAT-HOSTTRACE-OVERRUNS ")) overruns = Long.parseLong(l.substring(25).strip());
        }
        if (!ended || overruns < 0) {
            throw new ProbeException("the host side's trace did not come back from " + machine.where() + (ended ? "" : " within 120 s") + ": "
                    + String.join("|", said));
        }
        String b64 = machine.ssh().run("cat " + SshSession.quote(dir + "/host-trace.b64"), null, 300_000).out();
        byte[] gzip = Base64.getMimeDecoder().decode(b64);
        KernelTrace.HostTrace trace = new KernelTrace.HostTrace(machine.where(), gzip, overruns);
        return new Recorded(trace, roundTrips(trace));
    }

    /** The round trips of the host's marks: a send and a receive of the same number, in that order. */
    static List<KernelTrace.RoundTrip> roundTrips(KernelTrace.HostTrace trace) {
        Map<Long, Long> sent = new HashMap<>();
        List<KernelTrace.RoundTrip> out = new ArrayList<>();
        try {
            trace.lines(line -> {
                Matcher m = MARK.matcher(line);
                if (!m.find()) return;
                long ts = Long.parseLong(m.group(1)) * 1_000_000_000L + Long.parseLong(m.group(2)) * 1_000L;
                long seq = Long.parseLong(m.group(4));
                if (m.group(3).equals("send")) sent.put(seq, ts);
                else if (sent.containsKey(seq)) out.add(new KernelTrace.RoundTrip(seq, sent.get(seq), ts));
            });
        } catch (java.io.IOException e) {
            throw new ProbeException("the host side's trace from " + trace.where() + " is not gzip: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void close() {
        running.close();
    }

    /** The recorder's shell: tracefs there, the events, the wait for the guest's start, the round trips, the stop. */
    static String script(String dir, List<Integer> avoidCpus) {
        String d = SshSession.quote(dir);
        String sw = String.format(QEMU, "prev_comm") + " || " + String.format(QEMU, "next_comm");
        String wk = String.format(QEMU, "comm");
        return "D=" + d + "; T=/sys/kernel/tracing\n"
                // off the vCPUs' CPUs and at the lowest nice: at normal priority beside the vCPU its shell loops
                // preempted it (SCHED_IDLE starved the round trips until the guest did not finish in time)
                + "A=''; for c in $(seq 0 $(($(nproc) - 1))); do case ' " + avoidCpus.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" ")) + " ' in *\" $c \"*) ;; *) A=$A,$c;; esac; done\n"
                + "[ -n \"$A\" ] && taskset -p -c ${A#,} $$ >/dev/null 2>&1; renice -n 19 -p $$ >/dev/null 2>&1\n"
                + "[ -d $T/instances ] || mount -t tracefs nodev $T 2>/dev/null\n"
                + "[ -d $T/instances ] || { echo 'VMLAT-HOSTTRACE-FAIL tracefs is not mounted there (mount -t tracefs nodev /sys/kernel/tracing, as root)'; exit 3; }\n"
                // instances left by a recorder that was killed
                + "for i in $T/instances/vmlat-host-*; do [ -d \"$i\" ] && ! kill -0 \"${i##*-}\" 2>/dev/null && rmdir \"$i\"; done\n"
                + "I=$T/instances/vmlat-host-$$\n"
                + "mkdir $I || { echo 'VMLAT-HOSTTRACE-FAIL cannot make a tracefs instance there'; exit 3; }\n"
                + "trap 'echo 0 > $I/tracing_on; rmdir $I 2>/dev/null' EXIT\n"
                + "trap 'exit 143' TERM INT\n"
                + "echo mono > $I/trace_clock; echo 16384 > $I/buffer_size_kb\n"
                + "echo '" + sw + "' > $I/events/sched/sched_switch/filter\n"
                + "echo '" + wk + "' > $I/events/sched/sched_wakeup/filter\n"
                + "for e in sched/sched_switch sched/sched_wakeup kvm/kvm_exit kvm/kvm_entry kvm/kvm_msr; do\n"
                + "  if [ -d $I/events/$e ]; then echo 1 > $I/events/$e/enable; else echo \"VMLAT-HOSTTRACE-NOEVENT $e\"; fi\n"
                + "done\n"
                + "while ! grep -q VMLAT-START $D/console.log 2>/dev/null; do [ -e $D/trace.stop ] && break; usleep 200000; done\n"
                + "echo 1 > $I/tracing_on\n"
                + "( exec 3>$D/" + SYNC_PIPE + ".in 4<$D/" + SYNC_PIPE + ".out; n=1\n"
                + "  while [ ! -e $D/trace.stop ]; do\n"
                + "    echo \"vmlat-host-sync-send $n\" > $I/trace_marker; echo $n >&3\n"
                + "    read -r r <&4 || break\n"
                + "    echo \"vmlat-host-sync-recv $r\" > $I/trace_marker; n=$((n+1)); usleep 50000\n"
                + "  done ) &\n"
                + "P=$!\n"
                + "while [ ! -e $D/trace.stop ]; do usleep 100000; done\n"
                + "echo 0 > $I/tracing_on; kill $P 2>/dev/null\n"
                + "echo \"VMLAT-HOSTTRACE-OVERRUNS $(awk '/^overrun/ {s += $2} END {print s + 0}' $I/per_cpu/cpu*/stats)\"\n"
                + "cat $I/trace | gzip -1 | base64 > $D/host-trace.b64\n"
                + "echo VMLAT-HOSTTRACE-DONE\n";
    }
}
