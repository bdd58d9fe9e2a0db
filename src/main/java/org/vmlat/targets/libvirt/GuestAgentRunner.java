package org.vmlat.targets.libvirt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.vmlat.os.command.CommandException;
import org.vmlat.os.command.CommandOutput;
import org.vmlat.os.command.CommandResult;
import org.vmlat.os.command.CommandRunner;
import org.vmlat.os.command.RunningCommand;

/**
 * Runs commands inside a libvirt domain through its QEMU guest agent: {@code guest-exec} with
 * captured output, {@code guest-exec-status} polled until the command exited, its output decoded
 * from base64. The agent hands the output over only when the command has ended, so lines arrive
 * all at once at the end (no live status while it runs). The agent has no "kill": terminate and
 * close run the guest's own {@code kill} on the pid guest-exec returned. Files are made, read and
 * removed with the guest's touch, cat and rm.
 */
public final class GuestAgentRunner implements CommandRunner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MS = 200;
    private static final int AGENT_TIMEOUT_S = 30;
    private static final long FILE_TIMEOUT_NS = 60_000_000_000L;

    private final Virsh virsh;
    private final List<Exec> started = new ArrayList<>();

    public GuestAgentRunner(Virsh virsh) {
        this.virsh = virsh;
    }

    @Override
    public String where() {
        return "domain " + virsh.domain() + " (guest agent)";
    }

    /** Whether the agent answers (guest-ping). */
    public void ping() {
        virsh.agent("{\"execute\":\"guest-ping\"}", 10);
    }

    static String execJson(List<String> argv) {
        ObjectNode cmd = JSON.createObjectNode();
        cmd.put("execute", "guest-exec");
        ObjectNode a = cmd.putObject("arguments");
        a.put("path", argv.get(0));
        ArrayNode args = a.putArray("arg");
        for (String s : argv.subList(1, argv.size())) args.add(s);
        a.put("capture-output", true);
        return cmd.toString();
    }

    @Override
    public synchronized RunningCommand start(List<String> argv, CommandOutput output) {
        if (argv.isEmpty()) throw new IllegalArgumentException("argv: a command needs at least the program");
        int pid;
        try {
            pid = virsh.agent(execJson(argv), AGENT_TIMEOUT_S).get("pid").asInt();
        } catch (LibvirtException e) {
            throw new CommandException("cannot start " + argv.get(0) + " in " + where() + ": " + e.getMessage(), e);
        }
        Exec e = new Exec(List.copyOf(argv), pid, output);
        started.removeIf(x -> x.ended != null);
        started.add(e);
        return e;
    }

    /** The state of a guest-exec pid: whether it exited, and then its status and output. */
    record Status(boolean exited, int exitCode, String out, String err) {}

    static Status status(JsonNode r) {
        if (!r.path("exited").asBoolean(false)) return new Status(false, -1, "", "");
        int code = r.has("signal") ? 128 + r.get("signal").asInt() : r.path("exitcode").asInt(-1);
        return new Status(true, code, decode(r.path("out-data").asText("")), decode(r.path("err-data").asText("")));
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    private Status poll(int pid) {
        return status(virsh.agent("{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":" + pid + "}}", AGENT_TIMEOUT_S));
    }

    private void signal(int pid, String sig) {
        try {
            // the agent reaps the kill itself; its status is not needed
            int k = virsh.agent(execJson(List.of("kill", "-" + sig, Integer.toString(pid))), AGENT_TIMEOUT_S).get("pid").asInt();
            for (int i = 0; i < 50 && !poll(k).exited(); i++) Thread.sleep(POLL_MS);
        } catch (LibvirtException e) {
            // the guest or its agent is gone: nothing is left to kill there
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CommandResult runChecked(List<String> argv) {
        CommandResult r = run(argv, FILE_TIMEOUT_NS);
        if (!r.ok()) throw new CommandException(String.join(" ", argv) + " in " + where() + " failed (" + r.exitCode() + "): " + r.stderr().strip());
        return r;
    }

    @Override
    public String createTempFile(String prefix, String suffix) {
        String path = "/tmp/" + prefix + UUID.randomUUID().toString().substring(0, 8) + suffix;
        runChecked(List.of("touch", path));
        return path;
    }

    @Override
    public byte[] readFile(String path) {
        return runChecked(List.of("cat", path)).stdout().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void deleteFile(String path) {
        runChecked(List.of("rm", "-f", path));
    }

    @Override
    public synchronized void close() {
        for (Exec e : started) e.close();
        started.clear();
    }

    private final class Exec implements RunningCommand {
        private final List<String> argv;
        private final int pid;
        private final CommandOutput output;
        private Status ended;

        Exec(List<String> argv, int pid, CommandOutput output) {
            this.argv = argv;
            this.pid = pid;
            this.output = output;
        }

        @Override
        public List<String> argv() {
            return argv;
        }

        @Override
        public void terminate() {
            if (ended == null) signal(pid, "TERM");
        }

        @Override
        public synchronized boolean waitFor(long timeoutNs) throws InterruptedException {
            long end = System.nanoTime() + timeoutNs;
            while (ended == null) {
                Status s;
                try {
                    s = poll(pid);
                } catch (LibvirtException e) {
                    throw new CommandException("lost " + argv.get(0) + " in " + where() + ": " + e.getMessage(), e);
                }
                if (s.exited()) {
                    deliver(CommandOutput.Channel.STDOUT, s.out());
                    deliver(CommandOutput.Channel.STDERR, s.err());
                    ended = s;
                    break;
                }
                if (System.nanoTime() >= end) return false;
                Thread.sleep(Math.min(POLL_MS, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            }
            return true;
        }

        private void deliver(CommandOutput.Channel channel, String text) {
            if (text.isEmpty()) return;
            // cyclictest redraws its status with \r and escape sequences: each piece is a line
            for (String line : text.split("\r?\n|\r")) output.line(channel, line);
        }

        @Override
        public int exitCode() {
            if (ended == null) throw new IllegalStateException(argv.get(0) + " in " + where() + " has not ended");
            return ended.exitCode();
        }

        @Override
        public void close() {
            if (ended != null) return;
            signal(pid, "TERM");
            try {
                if (!waitFor(5_000_000_000L)) {
                    signal(pid, "KILL");
                    waitFor(5_000_000_000L);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (CommandException e) {
                // the guest went away: nothing of the command is left
            }
        }
    }
}
