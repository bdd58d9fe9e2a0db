package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * An Error thrown by a command (here a class its code needs that cannot be loaded, as when the jar is
 * replaced under a running vmlat) ends in one line on stderr and the error exit code, not a JVM stack trace.
 */
class ErrorInCommandTest {
    @Command(name = "broken")
    static final class Broken implements Runnable {
        @Override
        public void run() {
            throw new NoClassDefFoundError("org/vmlat/report/SomeTables");
        }
    }

    @Command(name = "fine")
    static final class Fine implements Runnable {
        @Override
        public void run() {}
    }

    private static String[] ran(Class<?> command, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new Vmlat()).addSubcommand(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = Vmlat.execute(cl, args);
        return new String[] {Integer.toString(code), err.toString()};
    }

    @Test
    void anErrorIsOneLineAndTheErrorExitCode() {
        Vmlat.verbose = false; // a static option: an earlier in-process run may have set it
        String[] broken = ran(Broken.class, "broken");
        String[] fine = ran(Fine.class, "fine");
        System.out.println("ErrorInCommandTest: exit " + broken[0] + ", stderr: " + broken[1].strip());
        assertThat(broken[0]).isEqualTo(Integer.toString(ExitCodes.ERROR));
        assertThat(broken[1].strip()).isEqualTo("vmlat: internal error: java.lang.NoClassDefFoundError: org/vmlat/report/SomeTables; "
                + "--verbose shows where");
        assertThat(broken[1]).doesNotContain("\tat ");
        assertThat(fine).containsExactly("0", "");
    }
}
