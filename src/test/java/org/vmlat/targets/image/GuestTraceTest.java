package org.vmlat.targets.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.vmlat.probe.ProbeException;
import org.vmlat.targets.KernelTrace;

class GuestTraceTest {
    private static final String LINE1 = "          <idle>-0       [000] d..h1..    14.435725: local_timer_entry: vector=236";
    private static final String LINE2 = "          <idle>-0       [000] d...2..    14.435911: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 "
            + "prev_state=R ==> next_comm=cyclictest next_pid=122 next_prio=4";

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    /** What /init prints: busybox base64 wraps at 76 columns; a console channel adds \r. */
    private static String report(byte[] gzip) {
        return "VMLAT-RC 0\r\nVMLAT-TRACE-FACTS buffer_kb=16384 clock=mono overrun=17\r\nVMLAT-BEGIN-TRACE\r\n"
                + Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(gzip)
                + "\r\nVMLAT-END-TRACE\r\nVMLAT-DONE\r\n";
    }

    @Test
    void theTraceComesBackLineByLineWithItsFacts() throws IOException {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 200; i++) many.append(LINE1).append('\n').append(LINE2).append('\n');
        KernelTrace t = GuestTrace.parse("guest g", report(gzip(many.toString()))).orElseThrow();
        assertThat(t.overruns()).isEqualTo(17);
        assertThat(t.bufferKbPerCpu()).isEqualTo(16384);
        List<String> lines = new ArrayList<>();
        assertThat(t.lines(lines::add)).isTrue();
        assertThat(lines).hasSize(400);
        assertThat(lines.get(0)).isEqualTo(LINE1);
        assertThat(lines.get(399)).isEqualTo(LINE2);
    }

    @Test
    void aTraceCutAtTheSizeLimitGivesItsLinesUpToTheCut() throws IOException {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 5000; i++) many.append(LINE1.replace("14.435725", "14." + (100000 + i))).append('\n');
        byte[] whole = gzip(many.toString());
        byte[] cut = Arrays.copyOf(whole, whole.length / 2);
        KernelTrace t = GuestTrace.parse("guest g", report(cut)).orElseThrow();
        List<String> lines = new ArrayList<>();
        assertThat(t.lines(lines::add)).isFalse();
        System.out.println("a trace cut at " + cut.length + " of " + whole.length + " bytes gave " + lines.size() + " of 5000 lines");
        assertThat(lines).isNotEmpty().hasSizeLessThan(5000);
        assertThat(lines.get(0)).isEqualTo(LINE1.replace("14.435725", "14.100000"));
    }

    @Test
    void noBlockNoTraceAndABrokenBlockIsAnError() {
        assertThat(GuestTrace.parse("guest g", "VMLAT-RC 0\nVMLAT-DONE\n")).isEmpty();
        assertThatThrownBy(() -> GuestTrace.parse("guest g", "VMLAT-BEGIN-TRACE\nH4sI\nVMLAT-DONE\n"))
                .isInstanceOf(ProbeException.class).hasMessageContaining("guest g").hasMessageContaining("VMLAT-END-TRACE missing");
        assertThatThrownBy(() -> GuestTrace.parse("guest g", "VMLAT-BEGIN-TRACE\n!!not base64!!\nVMLAT-END-TRACE\n"))
                .isInstanceOf(ProbeException.class).hasMessageContaining("not base64");
        assertThatThrownBy(() -> GuestTrace.parse("guest g", "VMLAT-TRACE-FACTS overrun=lots\nVMLAT-BEGIN-TRACE\n\nVMLAT-END-TRACE\n"))
                .isInstanceOf(ProbeException.class).hasMessageContaining("overrun").hasMessageContaining("lots");
    }

    /** A Xen guest's console carries the trace: what is kept of the console keeps the result and the markers, not the base64. */
    @Test
    void aConsoleKeptWithoutItsTraceStillParsesAsTheResult() throws IOException {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 2000; i++) many.append(LINE1.replace("14.435725", "14." + (100000 + i))).append('\n');
        String console = "[    0.0] boot\r\n" + report(gzip(many.toString()));
        long base64Lines = console.lines().filter(l -> !l.isEmpty() && !l.startsWith("VMLAT") && !l.startsWith("[")).count();
        String kept = GuestTrace.withoutTrace(console);
        System.out.println("console " + console.length() + " chars, " + base64Lines + " lines of base64; kept " + kept.length() + " chars");
        assertThat(kept).startsWith("[    0.0] boot\r\nVMLAT-RC 0\r\nVMLAT-TRACE-FACTS").endsWith("VMLAT-END-TRACE\r\nVMLAT-DONE\r\n")
                .contains("(" + base64Lines + " lines of base64 left out)").doesNotContain("H4sI");
        assertThat(GuestTrace.withoutTrace("VMLAT-RC 0\nVMLAT-DONE\n")).isEqualTo("VMLAT-RC 0\nVMLAT-DONE\n");
    }
}
