package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.report.TerminalText;
import org.vmlat.store.ResultStore;
import org.vmlat.store.RunStatus;

/**
 * Names that would act on a terminal (a title change by OSC, a screen clear by CSI, a bell, a
 * right-to-left override) reach the screen inert from a store written by another program or an
 * older vmlat: runs list, runs show and report show them as escapes.
 */
class HostileNamesCliTest {
    private static final String OSC_TITLE = "\u001b]0;owned\u0007", CLEAR = "\u001b[2J\u001b[H", RLO = "gpj\u202e.exe";

    @Test
    void controlCharactersAreShownAsEscapes() {
        assertThat(TerminalText.inert(OSC_TITLE)).isEqualTo("\\x1b]0;owned\\x07");
        assertThat(TerminalText.inert(CLEAR)).isEqualTo("\\x1b[2J\\x1b[H");
        assertThat(TerminalText.inert(RLO)).isEqualTo("gpj\\u202e.exe");
        assertThat(TerminalText.inert("a\tb\nc\u009bd\u007f")).isEqualTo("a\\x09b\\x0ac\\x9bd\\x7f");
        // a backslash is doubled, so a name that already reads "\x1b" is told apart from an escaped ESC
        assertThat(TerminalText.inert("\\x1b")).isEqualTo("\\\\x1b");
        assertThat(TerminalText.inert("µs ok — é")).isEqualTo("µs ok — é");
    }

    @Test
    void runsListShowAndReportPrintStoredNamesInert(@TempDir Path dir) {
        Path db = dir.resolve("r.db");
        try (ResultStore s = ResultStore.open(db.toString())) {
            long run = s.createRun(OSC_TITLE + CLEAR, "p" + RLO + ".toml", "", Map.of(), Map.of());
            s.addScenarios(run, List.of(Map.of("target", "t" + OSC_TITLE, "load", CLEAR, "interval", "1ms", "probe", "builtin", "priority", "95")));
            s.setRunStatus(run, RunStatus.DONE, true);
        }
        for (String[] args : List.of(new String[] {"runs", "list"}, new String[] {"runs", "show", "1"}, new String[] {"report", "1"})) {
            String[] full = List.of(List.of(args), List.of("--store", db.toString())).stream().flatMap(List::stream).toArray(String[]::new);
            CliTest.Run r = CliTest.run(full);
            String all = r.out() + r.err();
            assertThat(all).as(String.join(" ", args)).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u202e");
            assertThat(r.code()).as(all).isZero();
            assertThat(all).as(String.join(" ", args)).contains("\\x1b");
        }
    }
}
