package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.vmlat.os.ChildProcess;
import org.vmlat.os.ChildProcesses;
import org.vmlat.os.ProcessGroups;

/**
 * Real Debian {@code hackbench} on this machine, at the scheduling this JVM has (SCHED_OTHER), optionally pinned with
 * {@code taskset -c}, in a process group of its own; and a watcher that reads {@code /proc} every 250 ms for every
 * {@code hackbench} process on the machine, telling the ones of this group (started here) from the others (another
 * program's). Closing kills the group and waits until none of it is left.
 */
final class HostHackbench implements AutoCloseable {
    private final ChildProcess child;
    private final Set<Integer> ours = ConcurrentHashMap.newKeySet();
    private final Set<Integer> others = ConcurrentHashMap.newKeySet();
    private final Set<Integer> notOther = ConcurrentHashMap.newKeySet();
    private final Thread watcher;
    private volatile boolean watching = true;

    private HostHackbench(ChildProcess child) {
        this.child = child;
        this.watcher = new Thread(this::watch, "hackbench-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Starts {@code hackbench -g GROUPS -l …} (until closed) pinned to {@code cpu}; no hackbench at all when groups is 0. */
    static HostHackbench start(int groups, int cpu) throws IOException {
        if (groups == 0) return new HostHackbench(null);
        ProcessBuilder pb = new ProcessBuilder("taskset", "-c", Integer.toString(cpu), "hackbench", "-g", Integer.toString(groups), "-l", "100000000")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        return new HostHackbench(ChildProcesses.start(pb));
    }

    private long group() {
        return child == null ? -1 : child.groupId();
    }

    private void watch() {
        while (watching) {
            try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
                for (Path p : procs) {
                    Stat s = Stat.of(p);
                    if (s == null || !s.comm().equals("hackbench")) continue;
                    int pid = Integer.parseInt(p.getFileName().toString());
                    if (s.pgrp() == group()) {
                        ours.add(pid);
                        // SCHED_OTHER is policy 0; the test's claim is about hackbench at default priority
                        if (s.policy() != 0) notOther.add(pid);
                    } else {
                        others.add(pid);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("listing /proc", e);
            }
            try {
                // hackbench's processes live until it ends: a slow pass finds them all without taking the CPU the guest needs
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Fields of /proc/PID/stat: the command name (between the outer parentheses), process group, policy. */
    private record Stat(String comm, long pgrp, int policy) {
        static Stat of(Path proc) {
            String text;
            try {
                text = Files.readString(proc.resolve("stat"));
            } catch (IOException gone) {
                // ended between the listing and the read
                return null;
            }
            int open = text.indexOf('('), close = text.lastIndexOf(')');
            String[] f = text.substring(close + 2).trim().split(" ");
            // after the comm: state(3) ppid(4) pgrp(5) … policy(41)
            return new Stat(text.substring(open + 1, close), Long.parseLong(f[2]), Integer.parseInt(f[38]));
        }
    }

    /** The pids of the hackbench processes started here, seen so far. */
    Set<Integer> ours() {
        return Set.copyOf(ours);
    }

    /** The pids of hackbench processes of other programs seen so far. */
    Set<Integer> others() {
        return Set.copyOf(others);
    }

    /** Ours that ran at another policy than SCHED_OTHER. */
    Set<Integer> notSchedOther() {
        return Set.copyOf(notOther);
    }

    @Override
    public void close() throws InterruptedException {
        watching = false;
        watcher.interrupt();
        watcher.join(5000);
        if (child == null) return;
        child.stop(1000);
        for (int i = 0; i < 100 && ProcessGroups.members(child.groupId()) > 0; i++) Thread.sleep(50);
        assertThat(ProcessGroups.members(child.groupId())).as("hackbench processes left of group %d", child.groupId()).isZero();
    }
}
