package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default store as a user meets it: vmlat started as its own process in a folder of its
 * own, with XDG_DATA_HOME pointing at a temporary per-user data folder.
 */
class StoreDefaultTest {
    @TempDir
    Path dir;

    record Result(int code, String output) {}

    Result vmlat(Path cwd, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.vmlat.cli.Vmlat"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().put("XDG_DATA_HOME", dir.resolve("data").toString());
        pb.environment().put("VMLAT_STATE_DIR", dir.resolve("state").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    static List<Path> files(Path root) throws Exception {
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    Path plan(Path cwd) throws Exception {
        Path plan = cwd.resolve("one.toml");
        Files.writeString(plan, String.join("\n", "name = \"one\"", "duration = \"1s\"", "repetitions = 1", "",
                "[matrix]", "target = [\"host\"]", "probe = [\"builtin\"]", "interval = [\"1ms\"]", "load = [\"none\"]", "",
                "[[target]]", "name = \"host\"", "kind = \"local\"", ""));
        return plan;
    }

    @Test
    void readCommandsNeverCreateAStore() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("work"));
        String[][] reads = {{"runs", "list"}, {"runs", "show", "1"}, {"runs", "export", "1", "--format", "json"}, {"report", "1"},
            {"tail", "1:1"}, {"compare", "1", "2"}, {"explain", "1"}, {"lab", "status", "1"}};
        Path perUser = dir.resolve("data/vmlat/results.db");
        for (String[] args : reads) {
            Result r = vmlat(cwd, args);
            assertThat(r.code()).as(String.join(" ", args) + ": " + r.output()).isNotZero();
            assertThat(r.output()).as(String.join(" ", args)).contains("no store at " + perUser);
        }
        System.out.println(reads.length + " read commands, files created: " + (files(cwd).size() + files(dir.resolve("data")).size()));
        assertThat(files(cwd)).isEmpty();
        assertThat(files(dir.resolve("data"))).isEmpty();
    }

    @Test
    void resultsGoToThePerUserFolderAndAnOldStoreInTheCurrentFolderIsUsedWithANote() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("work"));
        Result run = vmlat(cwd, "lab", "run", plan(cwd).toString());
        Path perUser = dir.resolve("data/vmlat/results.db");
        assertThat(run.code()).as(run.output()).isZero();
        assertThat(run.output()).contains("Results: " + perUser);
        assertThat(perUser).exists();
        assertThat(cwd.resolve("vmlat-results")).doesNotExist();

        Path other = Files.createDirectories(dir.resolve("elsewhere"));
        assertThat(vmlat(other, "runs", "list").output()).as("found from any folder").containsPattern("(?m)^1 +one ");

        Path old = Files.createDirectories(other.resolve("vmlat-results")).resolve("results.db");
        Files.copy(perUser, old);
        Result list = vmlat(other, "runs", "list");
        assertThat(list.output()).contains("vmlat: note: using vmlat-results/results.db in the current folder")
                .contains("the default is now " + perUser).containsPattern("(?m)^1 +one ");
        Result again = vmlat(other, "lab", "run", plan(other).toString());
        assertThat(again.output()).contains("vmlat: note: using vmlat-results/results.db").contains("Results: vmlat-results/results.db");
        assertThat(old).exists();
        assertThat(vmlat(cwd, "runs", "list").output()).as("the per-user store did not get the second run").doesNotContainPattern("(?m)^2 ");
    }
}
