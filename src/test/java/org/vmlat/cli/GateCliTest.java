package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmlat.cli.CliTest.fixture;
import static org.vmlat.cli.CliTest.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One command gates CI: exit 3 and a JUnit failure when a limit is exceeded, 0 when every limit holds. */
class GateCliTest {
    @Test
    void reportWithLimitsExitsThreeOnlyWhenALimitIsExceeded(@TempDir Path dir) throws Exception {
        Path f = fixture("cyclictest-2.4/hist-t2.txt"), db = dir.resolve("r.db"), junit = dir.resolve("junit.xml");
        assertThat(run("import", f.toString(), "--store", db.toString()).code()).isZero();

        CliTest.Run over = run("report", "1", "--store", db.toString(), "--limit", "max=1us", "--limit", "p99=1s", "--junit", junit.toString());
        assertThat(over.code()).as(over.out() + over.err()).isEqualTo(ExitCodes.THRESHOLD);
        assertThat(over.out()).contains("LIMIT FAILED").contains("exceeds max<=1us").contains("Limits: 1 of 2 passed, 1 failed (exit 3)");
        String xml = Files.readString(junit);
        assertThat(xml).contains("tests=\"2\" failures=\"1\"").contains("name=\"max&lt;=1us\"").contains("<failure type=\"threshold\"");

        Path limits = dir.resolve("ci.toml");
        Files.writeString(limits, "[[limit]]\nmetric = \"max\"\nvalue = \"1s\"\n\n[[limit]]\nmetric = \"p99.99\"\nvalue = \"1s\"\n");
        CliTest.Run under = run("report", "1", "--store", db.toString(), "--limits", limits.toString());
        assertThat(under.code()).as(under.out() + under.err()).isZero();
        assertThat(under.out()).contains("Limits: 2 of 2 passed");

        // cyclictest's text output does not count missed periods: a gate on them fails rather than pass on no data
        CliTest.Run unknown = run("report", "1", "--store", db.toString(), "--limit", "missed=0");
        assertThat(unknown.code()).isEqualTo(ExitCodes.THRESHOLD);
        assertThat(unknown.out()).contains("missed: no data to check missed<=0");

        Files.writeString(limits, "[[limit]]\nmetric = \"max\"\nvalue = \"forty\"\n");
        CliTest.Run bad = run("report", "1", "--store", db.toString(), "--limits", limits.toString());
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains(limits + ":3: limit[1].value: \"forty\" is not a duration");

        CliTest.Run typo = run("report", "1", "--store", db.toString(), "--limit", "p42=1us");
        assertThat(typo.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.err()).contains("--limit p42=1us: unknown metric \"p42\"");
    }

    @Test
    void compareWithRegressionPassesOnTheSameDistribution(@TempDir Path dir) throws Exception {
        Path f = fixture("cyclictest-2.4/hist-t2.txt"), junit = dir.resolve("cmp.xml");
        CliTest.Run same = run("compare", f.toString(), f.toString(), "--store", dir.resolve("absent.db").toString(), "--resamples", "50",
                "--regression", "10%", "--junit", junit.toString());
        assertThat(same.code()).as(same.out() + same.err()).isZero();
        assertThat(Files.readString(junit)).contains("failures=\"0\"").contains("regression &lt;= 10%");
        CliTest.Run bad = run("compare", f.toString(), f.toString(), "--regression", "lots");
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("--regression: expected a margin such as 10%");
    }

    @Test
    void aPlansLimitTablesGateTheLabRun(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan.toml"), db = dir.resolve("r.db"), junit = dir.resolve("lab.xml");
        String head = """
                name = "gate"
                duration = "1s"
                [matrix]
                probe = ["builtin"]
                interval = ["1ms"]
                load = ["none"]
                """;
        Files.writeString(plan, head + """
                [[limit]]
                metric = "max"
                value = "1ns"
                where = { load = "none" }

                [[limit]]
                metric = "p99"
                value = "1s"
                where = { load = "pipes" }
                """);
        CliTest.Run run = run("lab", "run", plan.toString(), "--store", db.toString(), "-q", "--junit", junit.toString());
        assertThat(run.code()).as(run.out() + run.err()).isEqualTo(ExitCodes.THRESHOLD);
        // the second limit applies to no scenario: one test case only
        assertThat(Files.readString(junit)).contains("tests=\"1\" failures=\"1\"").contains("max&lt;=1ns where load=none");

        Files.writeString(plan, head + "[[limit]]\nmetric = \"max\"\nvalue = \"1s\"\nwhere = \"none\"\n");
        CliTest.Run bad = run("lab", "run", plan.toString(), "--dry-run");
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains(plan + ":10: limit[1].where: expected a table of dimension values");
    }
}
