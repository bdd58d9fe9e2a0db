package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmlat.cli.CliTest.fixture;
import static org.vmlat.cli.CliTest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.latency.LatencyDistribution;
import org.vmlat.latency.ThreadResult;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;

/** Measurements made elsewhere: stored as runs by vmlat import --store, or read directly by tail and compare. */
class ImportedRunCliTest {

    @Test
    void importStoresACyclictestOutputAsARunOfOneScenario(@TempDir Path dir) throws Exception {
        Path f = fixture("cyclictest-2.10/hist-t2.txt"), db = dir.resolve("r.db");
        CliTest.Run r = run("import", f.toString(), "--store", db.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Stored as run 1 in " + db);
        try (ResultStore s = ResultStore.openReadOnly(db.toString())) {
            assertThat(s.run(1).name()).isEqualTo("imported");
            assertThat(s.run(1).planFile()).isEqualTo(f.toString());
            List<ScenarioRecord> sc = s.scenarios(1);
            assertThat(sc).singleElement().satisfies(x -> {
                assertThat(x.settings()).containsEntry("imported", "true").containsEntry("imported_from", f.toString());
                assertThat(x.dims()).containsEntry("target", "imported").containsEntry("load", "unknown");
                // the fixture's two threads: 3000 samples each, max 92 and 221 us (one overflow on thread 1)
                assertThat(x.count()).isEqualTo(6000);
                assertThat(x.maxNs()).isEqualTo(221_000);
            });
        }
        CliTest.Run shown = run("runs", "show", "1", "--store", db.toString());
        assertThat(shown.code()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("imported").contains("221.0");
        CliTest.Run report = run("report", "1", "--store", db.toString());
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(report.out()).contains("221.0").doesNotContain("Stress vs no stress");
        CliTest.Run tail = run("tail", "1:1", "--store", db.toString(), "--bootstrap", "20");
        assertThat(tail.code()).as(tail.err()).isZero();
        assertThat(tail.out()).contains("imported cyclictest-import").contains(" 6000 ").doesNotContain("imported in memory");
    }

    @Test
    void aFileComparedWithItsStoredRunIsTheSameDistribution(@TempDir Path dir) throws Exception {
        Path f = fixture("cyclictest-2.4/hist-t2.txt"), db = dir.resolve("r.db"), json = dir.resolve("r.json");
        assertThat(run("import", f.toString(), "--store", db.toString(), "--json", json.toString()).code()).isZero();
        // vmlat's own result file goes back into the store unchanged
        CliTest.Run again = run("import", json.toString(), "--store", db.toString());
        assertThat(again.code()).as(again.err()).isZero();
        try (ResultStore s = ResultStore.openReadOnly(db.toString())) {
            List<ThreadResult> text = s.threadResults(s.scenarios(1).get(0).id()), fromJson = s.threadResults(s.scenarios(2).get(0).id());
            assertThat(fromJson).hasSameSizeAs(text);
            for (int i = 0; i < text.size(); i++) {
                assertThat(fromJson.get(i).histogram()).isEqualTo(text.get(i).histogram());
                assertThat(fromJson.get(i).histogramOverflows()).isEqualTo(text.get(i).histogramOverflows());
                assertThat(fromJson.get(i).maxNs()).isEqualTo(text.get(i).maxNs());
                assertThat(fromJson.get(i).resolutionNs()).isEqualTo(1000);
            }
            long p999 = LatencyDistribution.of(text).quantileNs(99.9);
            CliTest.Run cmp = run("compare", f.toString(), "1:1", "--store", db.toString(), "--resamples", "50");
            assertThat(cmp.code()).as(cmp.err()).isZero();
            assertThat(cmp.out()).contains("# " + f + ": imported in memory");
            // A and B are one distribution: every difference is 0, every verdict indistinguishable
            assertThat(cmp.out().lines().filter(l -> l.matches("p[0-9].*")).toList()).hasSize(4)
                    .allSatisfy(l -> assertThat(l).contains("+0.0").endsWith("indistinguishable"));
            assertThat(cmp.out()).containsPattern("p99\\.9 +" + String.format(java.util.Locale.ROOT, "%.1f", p999 / 1e3).replace(".", "\\."));
        }
        CliTest.Run files = run("compare", f.toString(), json.toString(), "--store", dir.resolve("absent.db").toString(), "--resamples", "50");
        assertThat(files.code()).as(files.err()).isZero();
        assertThat(dir.resolve("absent.db")).doesNotExist();
    }

    @Test
    void tailReadsEveryFormatDirectlyAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        long before = scratchStores();
        for (String name : List.of("cyclictest-2.4/hist-t2.txt", "cyclictest-2.4/json-t2-hist.json", "cyclictest-2.10/verbose-t2.txt")) {
            CliTest.Run t = run("tail", fixture(name).toString(), "--bootstrap", "10", "--store", dir.resolve("none.db").toString());
            assertThat(t.code()).as(name + ": " + t.err()).isZero();
            assertThat(t.out()).contains("imported in memory as run 1");
        }
        assertThat(dir.resolve("none.db")).doesNotExist();
        assertThat(scratchStores()).isEqualTo(before);
        CliTest.Run missing = run("tail", dir.resolve("nothing.txt").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("RUN, RUN:SCENARIO").contains("no such file");
        CliTest.Run summaryOnly = run("tail", fixture("cyclictest-2.4/quiet-t2.txt").toString());
        assertThat(summaryOnly.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(summaryOnly.err()).contains("quiet-t2.txt").contains("no samples to fit");
    }

    private static long scratchStores() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("vmlat-import-")).count();
        }
    }
}
