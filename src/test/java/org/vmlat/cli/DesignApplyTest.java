package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vmlat.os.Executables;

/** vmlat design --apply/--undo on a real TCG QEMU found by its guest name (needs root and QEMU). */
class DesignApplyTest {
    private record Out(int code, String out, String err) {}

    private static Out vmlat(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Vmlat.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Out(code, out.toString(), err.toString());
    }

    private static String chrt(long tid) throws Exception {
        Process c = new ProcessBuilder("chrt", "-p", Long.toString(tid)).redirectErrorStream(true).start();
        String s = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        c.waitFor(10, TimeUnit.SECONDS);
        return s;
    }

    @Test
    void appliesTheDesignedBudgetToAGuestByNameAndUndoesIt() throws Exception {
        assumeTrue(Executables.which("qemu-system-x86_64").isPresent() && "root".equals(System.getProperty("user.name")), "needs root and QEMU");
        String name = "vmlat-apply-test-" + ProcessHandle.current().pid();
        Process q = new ProcessBuilder("qemu-system-x86_64", "-accel", "tcg", "-name", name + ",debug-threads=on", "-nodefaults", "-display", "none",
                "-m", "64").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long tid = -1;
            for (int i = 0; i < 600 && tid < 0; i++) {
                Thread.sleep(100);
                try (var tasks = Files.list(Path.of("/proc/" + q.pid() + "/task"))) {
                    tid = tasks.filter(t -> {
                        try {
                            return Files.readString(t.resolve("comm")).strip().equals("CPU 0/TCG");
                        } catch (Exception e) {
                            return false;
                        }
                    }).mapToLong(t -> Long.parseLong(t.getFileName().toString())).findFirst().orElse(-1);
                }
            }
            assertThat(tid).as("QEMU's vCPU thread").isPositive();
            Out a = vmlat("design", "examples/vms.toml", "--period", "10ms", "--vm", "media", "--apply", name);
            // media: 7750us every 10ms (vmlat design examples/vms.toml --period 10ms); the host check fails for both VMs on 1 CPU: exit 3
            assertThat(a.code()).as(a.err()).isEqualTo(ExitCodes.THRESHOLD);
            assertThat(a.out()).contains("Applied to QEMU " + q.pid() + " (" + name + "), 1 vCPU thread(s):\n")
                    .contains("  thread " + tid + ": other nice 0 -> SCHED_DEADLINE runtime 7750us deadline 10ms period 10ms\n")
                    .contains("  read back: tid " + tid + " deadline 7750000/10000000/10000000 ns reset-on-fork\n")
                    .contains("Undo: vmlat design --undo " + q.pid() + "\n");
            assertThat(chrt(tid)).contains("SCHED_DEADLINE").contains("7750000/10000000/10000000");
            Out twice = vmlat("design", "examples/vms.toml", "--period", "10ms", "--vm", "media", "--apply", name);
            assertThat(twice.code()).isEqualTo(ExitCodes.ENVIRONMENT);
            assertThat(twice.err()).contains("already has a reservation by vmlat");

            Out u = vmlat("design", "examples/vms.toml", "--undo", Long.toString(q.pid()));
            assertThat(u.code()).as(u.err()).isZero();
            assertThat(u.out()).isEqualTo("Undid design:examples/vms.toml:media on QEMU " + q.pid() + ":\n  thread " + tid + " back to other nice 0\n");
            assertThat(chrt(tid)).contains("SCHED_OTHER");
            Out again = vmlat("design", "examples/vms.toml", "--undo", name);
            assertThat(again.code()).isEqualTo(ExitCodes.ENVIRONMENT);
            assertThat(again.err()).contains("has no reservation by vmlat");
        } finally {
            q.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anUnknownGuestOrAmbiguousVmIsAUsageError() {
        Out none = vmlat("design", "examples/vms.toml", "--period", "10ms", "--vm", "media", "--apply", "no-such-guest-anywhere");
        assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("no running QEMU has the guest name \"no-such-guest-anywhere\"");
        Out which = vmlat("design", "examples/vms.toml", "--period", "10ms", "--apply", "x");
        assertThat(which.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(which.err()).contains("the file designs 2 reservations; name the VM with --vm");
    }
}
