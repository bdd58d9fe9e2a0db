package org.vmlat.taskset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.FormatException;
import org.vmlat.sched.TaskSet;

class TaskSetFileTest {
    static final String GOOD = """
            [[task]]
            name = "a"
            wcet = "1ms"
            period = "4ms"

            [[task]]
            name = "b"
            wcet = "1ms"
            period = "5ms"
            deadline = "3ms"
            jitter = "10us"
            blocking = "5us"
            vm = "v1"
            """;

    @Test
    void readsDurationsDefaultsAndDeadlineMonotonicOrder() {
        TaskSetFile.Contents c = TaskSetFile.parse("t.toml", GOOD);
        TaskSet ts = c.taskSet();
        assertThat(ts.get(0).name()).isEqualTo("b"); // D 3ms < 4ms
        assertThat(ts.get(0).jitterNs()).isEqualTo(10_000);
        assertThat(ts.get(0).blockingNs()).isEqualTo(5_000);
        assertThat(ts.get(1).deadlineNs()).isEqualTo(4_000_000);
        assertThat(c.byVm()).containsOnlyKeys("", "v1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "wcet = \"1ms\"|wcet = 5|t.toml:3: task \"a\".wcet: expected a duration with a unit",
        "wcet = \"1ms\"|wcet = \"5\"|t.toml:3: task \"a\".wcet: \"5\" needs a unit",
        "wcet = \"1ms\"|wcet = \"5 parsecs\"|t.toml:3: task \"a\".wcet: unknown unit",
        "wcet = \"1ms\"|wcet = \"0ms\"|t.toml:3: task \"a\".wcet: must be greater than 0",
        "wcet = \"1ms\"|wcet = \"6ms\"|t.toml:3: task \"a\".wcet: 6ms exceeds the deadline 4ms",
        "period = \"4ms\"|period = \"-4ms\"|t.toml:4: task \"a\".period",
        "name = \"b\"|name = \"a\"|t.toml:7: task[2].name: duplicate task name \"a\"",
        "vm = \"v1\"|colour = \"red\"|t.toml:13: task[2].colour: unknown field",
        "period = \"4ms\"|period = \"1100us\"\\nvm = \"v1\"|t.toml: task: total utilisation 1.109 exceeds 1 in VM \"v1\"",
        "period = \"4ms\"|period = \"900us\"\\ndeadline = \"4ms\"|t.toml: task: total utilisation 1.111 exceeds 1:",
    })
    void errorsNameFileLineAndField(String from, String to, String message) {
        String text = GOOD.replaceFirst(java.util.regex.Pattern.quote(from.replace("\\n", "\n")), java.util.regex.Matcher.quoteReplacement(to.replace("\\n", "\n")));
        assertThat(text).isNotEqualTo(GOOD);
        assertThatThrownBy(() -> TaskSetFile.parse("t.toml", text)).isInstanceOf(FormatException.class).hasMessageContaining(message);
    }

    @Test
    void prioritiesAllOrNone() {
        String some = GOOD.replace("period = \"4ms\"", "period = \"4ms\"\npriority = 1");
        assertThatThrownBy(() -> TaskSetFile.parse("t.toml", some)).hasMessageContaining("task \"b\".priority: missing");
        String both = some.replace("vm = \"v1\"", "vm = \"v1\"\npriority = 1");
        TaskSet ts = TaskSetFile.parse("t.toml", both).taskSet();
        assertThat(ts.get(0).name()).isEqualTo("a"); // tie broken by file order
    }

    @Test
    void tomlSyntaxErrorsNameTheLine() {
        String broken = GOOD.replace("name = \"b\"", "name = \"b");
        assertThatThrownBy(() -> TaskSetFile.parse("t.toml", broken)).hasMessageStartingWith("t.toml:7: TOML syntax");
    }

    @Test
    void emptyFileHasNoTasks() {
        assertThatThrownBy(() -> TaskSetFile.parse("e.toml", "")).hasMessageContaining("e.toml: task: no [[task]] tables");
    }

    /** Utilisation is limited per VM (one CPU each), not over all VMs: two VMs of 0.6 each are fine. */
    @Test
    void utilisationIsCheckedPerVm() {
        String two = """
                [[task]]
                name = "a"
                wcet = "3ms"
                period = "5ms"
                vm = "v1"

                [[task]]
                name = "b"
                wcet = "3ms"
                period = "5ms"
                vm = "v2"
                """;
        assertThat(TaskSetFile.parse("t.toml", two).byVm()).containsOnlyKeys("v1", "v2");
    }
}
