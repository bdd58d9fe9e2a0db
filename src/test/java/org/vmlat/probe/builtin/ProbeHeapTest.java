package org.vmlat.probe.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heap formula against a real measurement: a JVM given exactly what {@link ProbeHeap} says
 * (plus the survivor space the JVM keeps out of its maximum) must run a wide measurement with
 * large spike tables and a large -h histogram without OutOfMemoryError.
 */
class ProbeHeapTest {
    @Test
    void aJvmSizedByTheFormulaRunsManyThreadsWithLargeTables(@TempDir Path dir) throws Exception {
        int threads = 12, spikes = 20_000;
        long need = ProbeHeap.bytesNeeded(threads, spikes);
        long xmx = need * 21 / 20;
        Path json = dir.resolve("r.json");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx" + xmx, "-Djna.nosys=true",
                "-cp", System.getProperty("java.class.path"),
                "org.vmlat.cli.Vmlat", "measure", "--policy", "other", "--no-mlockall", "-t", "" + threads,
                "--spikes", "" + spikes, "-h", "100ms", "-i", "1ms", "-D", "300ms", "--warmup", "0", "-q",
                "--json", json.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("VMLAT_STATE_DIR", dir.resolve("state").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        System.out.println("heap given: " + xmx / (1 << 20) + " MiB for " + threads + " threads x " + spikes + " spikes, exit " + p.exitValue());
        assertEquals(0, p.exitValue(), out);
        String result = Files.readString(json);
        assertEquals(threads, result.split("\"resolution_ns\"", -1).length - 1, "one result per thread");
        assertTrue(!out.contains("OutOfMemoryError"), out);
    }

    @Test
    void aHeapBelowTheNeedIsRefusedWithTheFigures() {
        long need = ProbeHeap.bytesNeeded(64, 200);
        assertNull(ProbeHeap.shortfall(64, 200, need));
        String msg = ProbeHeap.shortfall(64, 200, need - 1);
        assertNotNull(msg);
        assertTrue(msg.contains("64 measuring thread(s)") && msg.contains("VMLAT_JAVA_OPTS=-Xmx"), msg);
        // more threads, more spikes: more heap
        assertTrue(ProbeHeap.bytesNeeded(65, 200) > need && ProbeHeap.bytesNeeded(64, 201) > need);
    }
}
