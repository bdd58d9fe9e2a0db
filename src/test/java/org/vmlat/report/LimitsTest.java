package org.vmlat.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.FormatException;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.report.LimitCheck.Outcome;
import org.vmlat.report.WorstCaseTable.Metric;
import org.vmlat.stats.Comparison;

class LimitsTest {
    /** One thread whose samples are 1, 2, ..., 1000 us, 4 periods missed. */
    private static final List<ThreadSummary> THREADS = List.of(new ThreadSummary(0, 1, 1_000_000, 1000, 1000, 1000, 1_000_000,
            500_500_000L, 4, 0, -1, -1, -1, -1, -1));

    private static List<ThreadResult> results() {
        // values in ns, multiples of 1 us; HdrHistogram's buckets are narrower than 1 us up to 2 ms, so each is exact
        Histogram h = new Histogram(2_000_000, 3);
        for (long v = 1; v <= 1000; v++) h.recordValue(v * 1000);
        return List.of(new ThreadResult(0, 1, 1_000_000, 1000, 1000, 1000, 1_000_000, 500_500_000L, 4, 0, h, List.of()));
    }

    private static List<Outcome> check(String... limits) {
        List<Limit> parsed = new ArrayList<>();
        for (String l : limits) parsed.add(Limit.parse(l, Map.of()));
        return LimitCheck.check("s", Map.of("load", "none"), THREADS, LimitsTest::results, parsed);
    }

    @Test
    void limitsAreWrittenAsUsersWriteThem() {
        assertThat(Limit.parse("max=40us", Map.of())).isEqualTo(new Limit(Metric.MAX, 40_000, -1, false, Map.of()));
        assertThat(Limit.parse("p99.9 = 20", Map.of()).boundNs()).isEqualTo(20_000);
        assertThat(Limit.parse("missed=0.1%", Map.of()).missed()).isEqualTo(0.001);
        assertThat(Limit.parse("missed=3", Map.of()).fraction()).isFalse();
        assertThat(Limit.parse("p99.99=1ms", Map.of("load", "none")).label()).isEqualTo("p99.99<=1ms where load=none");
        assertThatThrownBy(() -> Limit.parse("p42=1us", Map.of())).hasMessageContaining("unknown metric \"p42\"").hasMessageContaining("missed");
        assertThatThrownBy(() -> Limit.parse("max", Map.of())).hasMessageContaining("METRIC=VALUE");
        assertThatThrownBy(() -> Limit.parse("missed=few", Map.of())).hasMessageContaining("missed");
    }

    @Test
    void eachMetricIsHeldAgainstItsBoundOnBothSides() {
        // samples 1..1000 us: p99 is the 990th sample (ceil(0.99 x 1000)), p99.9 the 999th, mean 500.5 us, max 1000 us
        assertThat(check("p99=990us", "p99.9=999us", "mean=501us", "max=1ms", "missed=4", "missed=0.4%"))
                .allSatisfy(o -> assertThat(o.passed()).as(o.message()).isTrue());
        assertThat(check("p99=989us", "p99.9=998us", "mean=500us", "max=999us", "missed=3", "missed=0.3%"))
                .allSatisfy(o -> assertThat(o.passed()).as(o.message()).isFalse());
        // 4 missed of 1004 periods = 0.3984 %
        assertThat(check("missed=0.3%").get(0).message()).isEqualTo("missed 0.3984% exceeds missed<=0.3%");
        assertThat(check("p99=989us").get(0).message()).isEqualTo("p99 990.0 us exceeds p99<=989us");
    }

    @Test
    void whereKeepsOnlyMatchingScenariosAndMissingDataFails() {
        List<Limit> l = List.of(Limit.parse("max=1s", Map.of("load", "stress")));
        assertThat(LimitCheck.check("s", Map.of("load", "none"), THREADS, LimitsTest::results, l)).isEmpty();
        List<ThreadSummary> empty = List.of(new ThreadSummary(0, 1, 1000, 1000, 0, 0, 0, 0, -1, 0, -1, -1, -1, -1, -1));
        Outcome o = LimitCheck.check("s", Map.of(), empty, LimitsTest::results, List.of(Limit.parse("max=1s", Map.of()))).get(0);
        assertThat(o.passed()).isFalse();
        assertThat(o.message()).contains("no data");
    }

    @Test
    void aLimitsFileReportsEveryProblemWithFileLineAndField() {
        String text = """
                [[limit]]
                metric = "max"
                value = "40us"

                [[limit]]
                metric = "p42"
                value = "1us"

                [[limit]]
                metric = "p99"
                value = "5parsecs"
                where = { load = "none" }
                colour = "red"

                [[limit]]
                value = "1us"
                """;
        assertThatThrownBy(() -> LimitsFile.parse("ci.toml", text)).isInstanceOf(FormatException.class).hasMessage(String.join("\n",
                "ci.toml:6: limit[2].metric: unknown metric \"p42\" (max, p50, p90, p99, p99.9, p99.99, mean, pwcet1e-6, pwcet1e-9, pwcet1e-12, missed)",
                "ci.toml:11: limit[3].value: unknown unit \"parsecs\" in \"5parsecs\" (use ns, us, ms, s, m, h or d)",
                "ci.toml:13: limit[3].colour: unknown key (known: metric, value, where)",
                "ci.toml:16: limit[4].metric: missing"));
        List<Limit> ok = LimitsFile.parse("ci.toml", "[[limit]]\nmetric = \"p99.9\"\nvalue = \"20us\"\nwhere = { load = \"none\", interval = 1000 }\n");
        assertThat(ok).containsExactly(new Limit(Metric.P999, 20_000, -1, false, Map.of("load", "none", "interval", "1000")));
        assertThatThrownBy(() -> LimitsFile.parse("ci.toml", "name = \"x\"\n")).hasMessage("ci.toml:1: name: unknown key (a limits file holds [[limit]] tables)");
    }

    private static final List<Outcome> FIXTURE = List.of(
            new Outcome("kvm / stress & \"io\"", "max<=40us", 52_300, false, "max 52.3 us exceeds max<=40us"),
            new Outcome("kvm / stress & \"io\"", "p99.9<=20us", 12_000, true, "p99.9 12.0 us within p99.9<=20us"),
            new Outcome("host / none", "max<=40us", 8_100, true, "max 8.1 us within max<=40us"));

    @Test
    void junitXmlIsExactlyTheGoldenFile() {
        assertThat(JUnitXml.write("vmlat run 7", FIXTURE)).isEqualTo("""
                <?xml version="1.0" encoding="UTF-8"?>
                <testsuites name="vmlat" tests="3" failures="1" errors="0">
                  <testsuite name="vmlat run 7" tests="3" failures="1" errors="0" skipped="0" time="0">
                    <testcase classname="kvm / stress &amp; &quot;io&quot;" name="max&lt;=40us" time="0">
                      <failure type="threshold" message="max 52.3 us exceeds max&lt;=40us">max 52.3 us exceeds max&lt;=40us</failure>
                    </testcase>
                    <testcase classname="kvm / stress &amp; &quot;io&quot;" name="p99.9&lt;=20us" time="0"/>
                    <testcase classname="host / none" name="max&lt;=40us" time="0"/>
                  </testsuite>
                </testsuites>
                """);
    }

    @Test
    void junitXmlIsValidAgainstTheJunitSchema() throws Exception {
        SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        var schema = f.newSchema(new StreamSource(getClass().getResourceAsStream("/org/vmlat/report/junit-report.xsd")));
        schema.newValidator().validate(new StreamSource(new StringReader(JUnitXml.write("vmlat run 7", FIXTURE))));
        schema.newValidator().validate(new StreamSource(new StringReader(JUnitXml.write("empty", List.of()))));
        // the schema can fail: a testsuite without its counts is refused
        assertThatThrownBy(() -> schema.newValidator().validate(new StreamSource(new StringReader(
                "<testsuites><testsuite name=\"x\"><testcase name=\"y\"/></testsuite></testsuites>")))).hasMessageContaining("tests");
    }

    @Test
    void aRegressionIsAWorseningBeyondTheIntervalAndTheMargin() {
        // A = 100 us; margin 10 % allows +10 us
        Comparison.Row noise = new Comparison.Row(99, 100_000, 130_000, 30_000, -1_000, 60_000, "indistinguishable");
        Comparison.Row withinMargin = new Comparison.Row(99.9, 100_000, 109_000, 9_000, 8_000, 10_000, "worse");
        Comparison.Row regressed = new Comparison.Row(99.99, 100_000, 125_000, 25_000, 10_500, 30_000, "worse");
        List<Outcome> o = RegressionCheck.check("host / none", List.of(noise, withinMargin, regressed), 0.10);
        assertThat(o).extracting(Outcome::passed).containsExactly(true, true, false);
        assertThat(o.get(2).name()).isEqualTo("p99.99 regression <= 10%");
        assertThat(o.get(2).message()).isEqualTo("regressed: p99.99 100.0 us -> 125.0 us: B - A +25.0 us, interval [+10.5, +30.0] us, allowed +10.0 us");
        assertThatThrownBy(() -> RegressionCheck.check("s", List.of(), -0.1)).hasMessageContaining("margin");
    }
}
