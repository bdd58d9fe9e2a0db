package org.vmlat.report;

import java.util.List;
import org.vmlat.report.LimitCheck.Outcome;

/**
 * Limit outcomes as JUnit XML, the report format Jenkins, GitLab and GitHub actions show as test
 * results: one {@code <testsuite>} named after the run, one {@code <testcase>} per scenario and
 * limit (classname the scenario, name the limit), a {@code <failure>} whose message carries the
 * observed figure and the limit, or an {@code <error>} when the figure could not be had (no samples,
 * a tail fit that gives no pWCET): the consumers count those apart from exceeded limits. Attributes and text are escaped; no timestamps, so the same
 * outcomes always give the same bytes.
 */
public final class JUnitXml {
    private JUnitXml() {}

    public static String write(String suite, List<Outcome> outcomes) {
        long failures = outcomes.stream().filter(o -> !o.passed() && o.judged()).count();
        long errors = outcomes.stream().filter(o -> !o.judged() && !o.passed()).count();
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<testsuites name=\"vmlat\" tests=\"").append(outcomes.size()).append("\" failures=\"").append(failures)
                .append("\" errors=\"").append(errors).append("\">\n");
        sb.append("  <testsuite name=\"").append(escape(suite)).append("\" tests=\"").append(outcomes.size())
                .append("\" failures=\"").append(failures).append("\" errors=\"").append(errors).append("\" skipped=\"0\" time=\"0\">\n");
        for (Outcome o : outcomes) {
            sb.append("    <testcase classname=\"").append(escape(o.scenario())).append("\" name=\"").append(escape(o.name()))
                    .append("\" time=\"0\"");
            if (o.passed()) {
                sb.append("/>\n");
            } else {
                String element = o.judged() ? "failure" : "error";
                sb.append(">\n      <").append(element).append(" type=\"").append(o.judged() ? "threshold" : "not judged").append("\" message=\"")
                        .append(escape(o.message())).append("\">").append(escape(o.message())).append("</").append(element).append(">\n    </testcase>\n");
            }
        }
        return sb.append("  </testsuite>\n</testsuites>\n").toString();
    }

    /** XML escaping for attributes and text; control characters XML 1.0 forbids become '?'. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\n' -> sb.append("&#10;");
                case '\t' -> sb.append("&#9;");
                default -> sb.append(c < 0x20 ? '?' : c);
            }
        }
        return sb.toString();
    }
}
