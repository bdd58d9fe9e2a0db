package org.vmlat.targets.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest /init's own shell functions, run by the busybox that goes into the image, over a tracefs played by a
 * folder: what a kept guest reports left after a traced scenario (VMLAT-CLEAN), and that {@code trace_off} gives the
 * events and the ring back. The probe and load processes are not looked for here ({@code pidof} answers none).
 */
class GuestInitTraceStateTest {
    /** The text of one shell function of /init, from "NAME() {" to its closing brace. */
    static String function(String name) {
        String init = GuestImageBuilder.INIT;
        int a = init.indexOf("\n" + name + "() {\n");
        int b = init.indexOf("\n}\n", a);
        assertThat(a).as(name + " in /init").isPositive();
        return init.substring(a + 1, b + "\n}\n".length());
    }

    static String run(Path tracefs, String kb0, String commands) throws Exception {
        Path busybox = new GuestImageBuilder(GuestImageBuilder.defaultCacheDir()).busybox();
        String script = "pidof() { :; }\n" + function("leftover") + function("trace_off") + "T=" + tracefs + "\nKB0=" + kb0 + "\nSYNCPID=\n" + commands;
        Process p = new ProcessBuilder(busybox.toString(), "sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    static void tracefs(Path t, String tracingOn, String events, String bufferKb) throws Exception {
        Files.createDirectories(t.resolve("options"));
        Files.writeString(t.resolve("tracing_on"), tracingOn + "\n");
        Files.writeString(t.resolve("set_event"), events);
        Files.writeString(t.resolve("buffer_size_kb"), bufferKb + "\n");
        Files.writeString(t.resolve("trace"), "# tracer: nop\n          <idle>-0 [000] d.h.. 12.5: hrtimer_expire_entry: hrtimer=ffff\n");
        Files.writeString(t.resolve("options/hash-ptr"), "0\n");
    }

    @Test
    void whatATracedScenarioLeftIsNamedAndTraceOffGivesItBack(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("tracing");
        tracefs(t, "1", "sched:sched_switch\ntimer:hrtimer_start\n", "16384");
        String dirty = run(t, "7", "leftover");
        String afterOff = run(t, "7", "trace_off; leftover");
        Files.writeString(t.resolve("tracing_on"), "0\n");
        String stopped = run(t, "7", "leftover");
        String untouched = run(dir.resolve("never-mounted"), "", "leftover");
        System.out.printf("GuestInitTraceStateTest: left while tracing \"%s\", after trace_off \"%s\", once stopped \"%s\", never traced \"%s\"%n",
                dirty, afterOff, stopped, untouched);
        assertThat(dirty).isEqualTo("tracing:on,trace-events:2,trace-ring:16384kb,");
        assertThat(afterOff).isEqualTo("tracing:on,");
        assertThat(Files.readString(t.resolve("set_event")).strip()).isEmpty();
        assertThat(Files.readString(t.resolve("trace")).strip()).isEmpty();
        assertThat(Files.readString(t.resolve("buffer_size_kb")).strip()).isEqualTo("7");
        assertThat(Files.readString(t.resolve("options/hash-ptr")).strip()).isEqualTo("1");
        assertThat(stopped).isEmpty();
        assertThat(untouched).isEmpty();
        assertThat(GuestOutput.leftover("VMLAT-CLEAN id=2 left=" + dirty + "\n")).isEqualTo("tracing:on, trace-events:2, trace-ring:16384kb");
        assertThat(List.of(GuestOutput.leftover("VMLAT-CLEAN id=3 left=none\n"))).containsExactly("");
    }
}
