package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.FormatException;

/**
 * Every plan the documentation shows (each {@code ```toml} block of README.md and docs/*.md that is
 * a plan, i.e. not a [[task]], [[vm]] or [[limit]] file alone) read by the real plan reader: a user
 * who copies one gets a plan that runs. A broken one is reported with its file and the block's line.
 */
class DocumentedPlansTest {
    record Block(Path file, int line, String text) {}

    static List<Block> blocks() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<Block> out = new ArrayList<>();
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).strip().equals("```toml")) continue;
                StringBuilder b = new StringBuilder();
                int start = i + 2;
                for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) b.append(lines.get(i)).append('\n');
                out.add(new Block(f, start, b.toString()));
            }
        }
        return out;
    }

    /**
     * A plan has a matrix, targets, loads or a probe; task sets, VMs and limits files have their own
     * readers and tests. A lone [matrix] excerpt (its targets defined elsewhere) is not a plan.
     */
    static boolean isPlan(String toml) {
        List<String> tables = toml.lines().filter(l -> l.startsWith("[")).toList();
        if (tables.equals(List.of("[matrix]")) && toml.lines().noneMatch(l -> l.matches("(name|duration)\\s*=.*"))) return false;
        return toml.lines().anyMatch(l -> l.matches("\\s*(\\[matrix]|\\[probe]|\\[\\[target]]|\\[\\[load]]|duration\\s*=.*|name\\s*=.*)"))
                && toml.lines().noneMatch(l -> l.matches("\\s*\\[\\[(task|vm)]].*"));
    }

    static String targetNames(String toml) {
        List<String> names = new ArrayList<>();
        boolean inTarget = false;
        for (String l : toml.lines().toList()) {
            if (l.startsWith("[")) inTarget = l.startsWith("[[target]]");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*name\\s*=\\s*(\"[^\"]*\").*").matcher(l);
            if (inTarget && m.matches()) names.add(m.group(1));
        }
        return String.join(", ", names);
    }

    @Test
    void everyPlanInTheDocumentationIsAValidPlan() throws IOException {
        List<String> broken = new ArrayList<>();
        int plans = 0;
        for (Block b : blocks()) {
            if (!isPlan(b.text())) continue;
            plans++;
            // a block showing one table (a [[target]]) is completed the least a plan needs around it
            boolean fragment = b.text().lines().noneMatch(l -> l.startsWith("[matrix]"));
            String text = fragment ? "duration = \"1s\"\n" + b.text() + "\n[matrix]\nprobe = [\"cyclictest\"]\ninterval = [\"1ms\"]\ntarget = [" + targetNames(b.text()) + "]\n" : b.text();
            try {
                PlanFile.parse(b.file() + " (block at line " + (fragment ? b.line() - 1 : b.line()) + ")", text, List.of(0, 1, 2, 3));
            } catch (FormatException | IllegalArgumentException e) {
                broken.add(e.getMessage());
            }
        }
        System.out.println("documented plans read: " + plans + ", broken: " + broken.size());
        assertThat(plans).isGreaterThanOrEqualTo(4);
        assertThat(broken).isEmpty();
    }
}
