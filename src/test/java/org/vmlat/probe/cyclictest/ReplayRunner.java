package org.vmlat.probe.cyclictest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.vmlat.os.command.CommandException;
import org.vmlat.os.command.CommandOutput;
import org.vmlat.os.command.CommandRunner;
import org.vmlat.os.command.RunningCommand;

/**
 * A runner that plays back what a real cyclictest printed, from its own thread as a process would:
 * the lines before {@code stopAt} at once, the rest only after SIGTERM when {@code stopAt} is
 * set (cyclictest prints its histogram when it is stopped). Records what the driver asked for.
 */
final class ReplayRunner implements CommandRunner {
    private final List<String> stdout;
    private final List<String> stderr;
    private final int exitCode;
    private final String json;
    private final int stopAt;

    final List<List<String>> started = new ArrayList<>();
    final List<String> deleted = new ArrayList<>();
    volatile int terminations;

    /** @param stopAt index in stdout where the command waits for SIGTERM, -1 to run through */
    ReplayRunner(String stdout, String stderr, int exitCode, String json, int stopAt) {
        this.stdout = stdout.lines().toList();
        this.stderr = stderr.lines().toList();
        this.exitCode = exitCode;
        this.json = json;
        this.stopAt = stopAt;
    }

    @Override
    public String where() {
        return "the replay";
    }

    @Override
    public RunningCommand start(List<String> argv, CommandOutput output) {
        started.add(List.copyOf(argv));
        CountDownLatch terminated = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                for (int i = 0; i < stdout.size(); i++) {
                    if (i == stopAt) terminated.await();
                    output.line(CommandOutput.Channel.STDOUT, stdout.get(i));
                }
                for (String l : stderr) output.line(CommandOutput.Channel.STDERR, l);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ended.countDown();
            }
        }, "replay");
        t.start();
        return new RunningCommand() {
            @Override
            public List<String> argv() {
                return argv;
            }

            @Override
            public void terminate() {
                terminations++;
                terminated.countDown();
            }

            @Override
            public boolean waitFor(long timeoutNs) throws InterruptedException {
                return ended.await(timeoutNs, TimeUnit.NANOSECONDS);
            }

            @Override
            public int exitCode() {
                if (ended.getCount() > 0) throw new IllegalStateException("not ended");
                return exitCode;
            }

            @Override
            public void close() {
                t.interrupt();
            }
        };
    }

    @Override
    public String createTempFile(String prefix, String suffix) {
        return "/replay/" + prefix + "1" + suffix;
    }

    @Override
    public byte[] readFile(String path) {
        if (json == null) throw new CommandException("cannot read " + path + " on the replay: no such file");
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void deleteFile(String path) {
        deleted.add(path);
    }

    @Override
    public void close() {}
}
