package org.vmlat.os.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A /proc, /sys and /etc tree written file by file, with the kernel's exact formats. */
public final class FakeTree {
    final Path root;

    public FakeTree(Path root) {
        this.root = root;
    }

    public SystemTree tree() {
        return new SystemTree(root);
    }

    public FakeTree file(String relative, String content) {
        try {
            Path p = root.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content + "\n");
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public FakeTree link(String relative, String target) {
        try {
            Path p = root.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.createSymbolicLink(p, Path.of(target));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A process (or with {@code task/} in dir, a thread) with /proc/PID/stat as a 6.x kernel writes it. */
    public FakeTree task(String dir, String comm, int policy, int rtPriority, String allowedCpus) {
        int id = Integer.parseInt(dir.substring(dir.lastIndexOf('/') + 1));
        int prio = policy == 1 || policy == 2 ? -1 - rtPriority : 20;
        // a real line from an irq thread (irq/24-ACPI:Ged) with pid, name, prio, rt_priority and policy set
        file(dir + "/stat", id + " (" + comm + ") S 2 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 " + prio + " 0 1 0 40 0 0 "
                + "18446744073709551615 0 0 0 0 0 0 0 2147483647 0 1 0 0 17 0 " + rtPriority + " " + policy + " 0 0 0 0 0 0 0 0 0 0 0");
        file(dir + "/comm", comm);
        file(dir + "/status", "Name:\t" + comm + "\nState:\tS (sleeping)\nPid:\t" + id + "\nCpus_allowed:\tf\nCpus_allowed_list:\t" + allowedCpus
                + "\nMems_allowed_list:\t0");
        return this;
    }

    public FakeTree process(int pid, String comm, int policy, int rtPriority, String allowedCpus) {
        return task("proc/" + pid, comm, policy, rtPriority, allowedCpus);
    }
}
