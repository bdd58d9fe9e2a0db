package org.vmlat.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.HdrHistogram.Histogram;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestCase;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.report.LimitCheck.Outcome;

/**
 * vmlat's JUnit XML read by a real consumer: the parser of Maven's surefire-report plugin (the
 * one that turns TEST-*.xml into Maven's test report), which must see the same tests, failures
 * and errors, the scenario and limit names and the figures vmlat wrote.
 */
class JUnitConsumerTest {
    @TempDir
    Path dir;

    /** Samples 1..1000 us on one thread, 4 missed periods; scenario names carry XML's special characters. */
    private static List<Outcome> outcomes() {
        Histogram h = new Histogram(2_000_000, 3);
        for (long v = 1; v <= 1000; v++) h.recordValue(v * 1000);
        List<ThreadResult> threads = List.of(new ThreadResult(0, 1, 1_000_000, 1000, 1000, 1000, 1_000_000, 500_500_000L, 4, 0, h, List.of()));
        List<ThreadSummary> summaries = threads.stream().map(ThreadSummary::of).toList();
        List<Limit> limits = new ArrayList<>();
        for (String l : List.of("max=40us", "p99=990us", "missed=0", "pwcet1e-9=1ms")) limits.add(Limit.parse(l, Map.of()));
        List<Outcome> out = new ArrayList<>(LimitCheck.check("kvm / stress & \"io\" <2>", Map.of(), summaries, () -> threads, limits));
        out.addAll(LimitCheck.check("host / none", Map.of(), summaries, () -> threads, List.of(Limit.parse("max=2ms", Map.of()))));
        return out;
    }

    @Test
    void surefiresReportParserReadsTheCountsNamesAndFigures() throws Exception {
        List<Outcome> outcomes = outcomes();
        Path file = dir.resolve("TEST-vmlat.xml");
        Files.writeString(file, JUnitXml.write("vmlat run 7", outcomes));
        List<ReportTestSuite> suites;
        try (InputStreamReader in = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
            suites = new TestSuiteXmlParser(new NullConsoleLogger()).parse(in);
        }
        // the parser groups test cases by class name, as Maven's report lists them: one group per scenario
        assertThat(suites).extracting(ReportTestSuite::getFullClassName).containsExactly("kvm / stress & \"io\" <2>", "host / none");
        List<ReportTestCase> cases = new ArrayList<>();
        int tests = 0, failures = 0, errors = 0;
        for (ReportTestSuite s : suites) {
            System.out.printf("surefire-report-parser: \"%s\": %d tests, %d failures, %d errors, %d skipped%n", s.getFullClassName(),
                    s.getNumberOfTests(), s.getNumberOfFailures(), s.getNumberOfErrors(), s.getNumberOfSkipped());
            cases.addAll(s.getTestCases());
            tests += s.getNumberOfTests();
            failures += s.getNumberOfFailures();
            errors += s.getNumberOfErrors();
        }
        // what vmlat judged: max and missed exceeded, p99 and the host's max held, the pWCET at 1e-9 not judged (1000 samples)
        long failed = outcomes.stream().filter(o -> !o.passed() && o.judged()).count();
        long notJudged = outcomes.stream().filter(o -> !o.judged()).count();
        assertThat(failed).isEqualTo(2);
        assertThat(notJudged).isEqualTo(1);
        assertThat(tests).isEqualTo(outcomes.size());
        assertThat(failures).isEqualTo(failed);
        assertThat(errors).isEqualTo(notJudged);
        assertThat(cases).hasSize(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            ReportTestCase c = cases.get(i);
            assertThat(c.getFullClassName()).isEqualTo(o.scenario());
            assertThat(c.getName()).isEqualTo(o.name());
            assertThat(c.isSuccessful()).as(o.name()).isEqualTo(o.passed());
            assertThat(c.hasFailure()).as(o.name()).isEqualTo(!o.passed() && o.judged());
            assertThat(c.hasError()).as(o.name()).isEqualTo(!o.judged());
            if (!o.passed()) assertThat(c.getFailureMessage()).isEqualTo(o.message());
        }
        assertThat(cases.get(0).getFailureMessage()).isEqualTo("max 1000.0 us exceeds max<=40us");
    }

    @Test
    void theFileIsValidAgainstTheSchemaAndTheSchemaCanFail() throws Exception {
        SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        var schema = f.newSchema(new StreamSource(getClass().getResourceAsStream("/org/vmlat/report/junit-report.xsd")));
        schema.newValidator().validate(new StreamSource(new StringReader(JUnitXml.write("vmlat run 7", outcomes()))));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> schema.newValidator().validate(new StreamSource(new StringReader(
                "<testsuites><testsuite name=\"x\" tests=\"1\" failures=\"0\" errors=\"0\"><testcase/></testsuite></testsuites>"))))
                .hasMessageContaining("name");
    }
}
