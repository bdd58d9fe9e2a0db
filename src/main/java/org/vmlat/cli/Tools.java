package org.vmlat.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.vmlat.os.Executables;
import org.vmlat.os.PrivateFolder;

/** Versions of the tools a run used, and how to start vmlat's own built-in loads. */
final class Tools {
    private Tools() {}

    static Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("vmlat", "0.1.0");
        v.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        version("cyclictest", List.of("cyclictest", "--help")).ifPresent(s -> v.put("cyclictest", s));
        version("stress-ng", List.of("stress-ng", "--version")).ifPresent(s -> v.put("stress-ng", s));
        Executables.which("hackbench").ifPresent(p -> v.put("hackbench", p.toString()));
        return v;
    }

    private static Optional<String> version(String tool, List<String> cmd) {
        if (Executables.which(tool).isEmpty()) return Optional.empty();
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            p.destroyForcibly();
            return Optional.of(out.lines().findFirst().orElse("").strip());
        } catch (IOException | InterruptedException e) {
            return Optional.empty();
        }
    }

    /** This JVM with this classpath running {@code vmlat _load}. */
    static List<String> builtinLoadCommand() {
        List<String> c = new ArrayList<>();
        c.add(ProcessHandle.current().info().command().orElse("java"));
        c.add("-XX:+UseSerialGC");
        c.add("-Xmx256m");
        // the load's temporary files go to this vmlat's private folder, which is reaped if both die
        c.add("-D" + PrivateFolder.PROPERTY + "=" + PrivateFolder.location());
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add(Vmlat.class.getName());
        c.add("_load");
        return c;
    }
}
