package org.vmlat.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vmlat.cli.Vmlat;

/**
 * Every malformed or hostile input of the corpus (src/test/resources/org/vmlat/corpus) given to
 * the real command line: a non-zero exit, a message naming file:line:field as the file's
 * {@code # expect:} lines (or its {@code .expect} sidecar) say, no stack trace, nothing written
 * (no store file, nothing in the folder) and no process started. The counts are printed.
 */
class BadInputCorpusTest {
    private static final Path ROOT = root();
    private static int files, located, crashes, options, optionsNamed;

    record Outcome(int code, String out, String err, Throwable crash) {}

    static Outcome run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        try {
            int code = Vmlat.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
            return new Outcome(code, out.toString(), err.toString(), null);
        } catch (Throwable t) {
            return new Outcome(-1, out.toString(), err.toString(), t);
        }
    }

    static Stream<String> plans() throws IOException {
        return entries("plans");
    }

    static Stream<String> tasksets() throws IOException {
        return entries("tasksets");
    }

    private static Stream<String> entries(String kind) throws IOException {
        try (Stream<Path> s = Files.list(ROOT.resolve(kind))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".expect")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void planIsRejectedWithItsLocation(String name, @TempDir Path dir) throws Exception {
        Path plan = ROOT.resolve("plans").resolve(name);
        Path store = dir.resolve("store.db");
        Set<Long> before = children();
        // --dry-run first: a plan accepted by mistake must not start measuring here
        Outcome dry = run("lab", "run", plan.toString(), "--dry-run");
        assertThat(dry.crash()).as("crash").isNull();
        assertThat(dry.code()).as(dry.out() + dry.err()).isNotZero();
        Outcome o = run("lab", "run", plan.toString(), "--store", store.toString(), "-q");
        check(plan, o, true);
        assertThat(store).as("the store is not created").doesNotExist();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.toList()).as("nothing written beside the store").isEmpty();
        }
        assertThat(children()).as("no process started").isSubsetOf(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tasksets")
    void taskSetIsRejectedWithItsLocation(String name) throws Exception {
        Path file = ROOT.resolve("tasksets").resolve(name);
        Set<Long> before = children();
        check(file, run("analyze", file.toString(), "--latency", "10us"), false);
        check(file, run("design", file.toString(), "--period", "10ms"), true);
        assertThat(children()).isSubsetOf(before);
    }

    /** Option values past a limit: a usage error naming the option, never a crash or a hang. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optionCases")
    void optionLimitsNameTheOption(String args, String option) throws Exception {
        Path tasks = ROOT.getParent().resolve("corpus-ok.toml");
        Outcome o = run(args.replace("TASKS", tasks.toString()).split(" "));
        options++;
        if (o.crash() != null) crashes++;
        assertThat(o.crash()).as("crash").isNull();
        assertThat(o.code()).as(o.err()).isEqualTo(2);
        assertThat(o.err()).contains(option).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("Error");
        optionsNamed++;
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> optionCases() {
        return Stream.of(
                new String[] {"measure -a 0-2147483647 -D 1s", "-a/--affinity"},
                new String[] {"measure -a 99999999999 -D 1s", "-a/--affinity"},
                new String[] {"measure -D 99999999999999999999s", "--duration"},
                new String[] {"measure -i 1parsec -D 1s", "--interval"},
                new String[] {"accept --step 1e-9", "--step"},
                new String[] {"accept --step 0", "--step"},
                new String[] {"accept --latency-step 1ns", "--latency-step"},
                new String[] {"accept --sets 2000000000", "--sets"},
                new String[] {"accept --sets 0", "--sets"},
                new String[] {"accept --tasks 0", "--tasks"},
                new String[] {"accept --sets 100000 --step 0.001", "--sets/--step/--latency-step"},
                new String[] {"analyze TASKS --latency 1000d", "--latency"},
                new String[] {"analyze TASKS --latency 99999999999999999999d", "--latency"},
                new String[] {"analyze TASKS --latency -5us", "--latency"},
                new String[] {"design TASKS --period 10ms --latency 1000d", "--latency"},
                new String[] {"design TASKS --sweep 1ns..1d --step 1ns", "--sweep"})
                .map(a -> org.junit.jupiter.params.provider.Arguments.of(a[0], a[1]));
    }

    /** @param last the last command on this file: counts it */
    private static void check(Path file, Outcome o, boolean last) throws IOException {
        if (last) files++;
        if (o.crash() != null) crashes++;
        assertThat(o.crash()).as("crash").isNull();
        String all = o.out() + o.err();
        assertThat(o.code()).as(all).isNotZero();
        assertThat(all).as("no stack trace").doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("Error:")
                .doesNotContain("org.tomlj").doesNotContain("For input string");
        assertThat(all).as("terminal control characters are inert").doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u202e");
        for (String e : expectations(file)) assertThat(o.err()).as(all).contains(file + e);
        if (last) located++;
    }

    private static List<String> expectations(Path file) throws IOException {
        Path sidecar = file.resolveSibling(file.getFileName() + ".expect");
        List<String> out = new ArrayList<>();
        if (Files.exists(sidecar)) {
            out.addAll(Files.readAllLines(sidecar).stream().filter(l -> !l.isBlank()).toList());
        } else {
            String head = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String l : head.split("\n")) {
                if (!l.startsWith("# expect: ")) break;
                out.add(":" + l.substring("# expect: ".length()).replaceFirst("^: ", " "));
            }
        }
        assertThat(out).as(file + " says what it expects").isNotEmpty();
        return out.stream().map(e -> e.startsWith(":") || e.startsWith(" ") ? e.replaceFirst("^ ", ": ") : ":" + e).collect(Collectors.toList());
    }

    private static Set<Long> children() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    @AfterAll
    static void counts() {
        System.out.printf("corpus: %d files, %d rejected with location, %d crashes%n", files, located, crashes);
        System.out.printf("options: %d limits, %d rejected naming the option, %d crashes%n", options, optionsNamed, crashes);
    }

    private static Path root() {
        try {
            return Path.of(BadInputCorpusTest.class.getResource("/org/vmlat/corpus").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
