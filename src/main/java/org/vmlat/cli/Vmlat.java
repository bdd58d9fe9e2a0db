package org.vmlat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import org.vmlat.latency.FormatException;
import org.vmlat.os.PrivateFolder;
import org.vmlat.os.VmlatDirs;
import org.vmlat.probe.ProbeException;
import org.vmlat.probe.RtPrivilegeException;
import org.vmlat.probe.builtin.AheadWarmUp;
import org.vmlat.report.TerminalText;
import org.vmlat.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code vmlat} command: measure, explain and budget real-time latency in virtual machines. */
@Command(name = "vmlat", mixinStandardHelpOptions = true, version = "vmlat 0.1.0",
        header = "Measure, explain and budget real-time latency in virtual machines.",
        footer = ExitCodes.FOOTER)
public final class Vmlat implements Runnable {
    /** The subcommands in the order the help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(DoctorCommand.class, MeasureCommand.class, ImportCommand.class,
            LabCommand.class, RunsCommand.class, ReportCommand.class, CompareCommand.class, TailCommand.class,
            SimulateCommand.class, ExplainCommand.class, GuestCommand.class, XenCommand.class, KvmCommand.class,
            AnalyzeCommand.class, DesignCommand.class, AcceptCommand.class, LoadWorkerCommand.class, StoreCommand.class,
            CacheCommand.class);

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--verbose", description = "Show stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
    static boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The configured command line with every subcommand, for in-process tests. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, SUBCOMMANDS);
    }

    /**
     * Only the subcommand the arguments name, when they name one: picocli reflects over every
     * option of every command it is given, which was most of a short command's start-up. Anything
     * else (no command, a typo, the top-level help) gets them all, so help and suggestions are whole.
     */
    static List<Class<?>> subcommandsFor(String[] args) {
        for (String a : args) {
            if (a.startsWith("-")) continue;
            for (Class<?> c : SUBCOMMANDS) {
                if (c.getAnnotation(Command.class).name().equals(a)) return List.of(c);
            }
            break;
        }
        return SUBCOMMANDS;
    }

    private static CommandLine commandLine(PrintWriter out, PrintWriter err, List<Class<?>> subcommands) {
        CommandLine cl = new CommandLine(new Vmlat());
        for (Class<?> c : subcommands) cl.addSubcommand(c);
        // enum options accept fifo as well as FIFO; picocli rejects every other value naming the option
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter e = commandLine.getErr();
            int code;
            String msg = ex.getMessage();
            if (ex instanceof VmlatException v) code = v.exitCode();
            else if (ex instanceof RtPrivilegeException) code = ExitCodes.ENVIRONMENT;
            else if (ex instanceof FormatException) code = ExitCodes.ERROR;
            else if (ex instanceof StoreException) code = ExitCodes.ERROR;
            else if (ex instanceof ProbeException) code = ExitCodes.ERROR;
            else if (ex instanceof IllegalArgumentException) code = ExitCodes.USAGE;
            else {
                code = ExitCodes.ERROR;
                msg = ex.getClass().getSimpleName() + ": " + msg;
            }
            // messages quote plan and store text: shown inert, line by line (several problems are several lines)
            e.println("vmlat: " + String.join("\n", msg == null ? List.of("null") : msg.lines().map(TerminalText::inert).toList()));
            if (verbose) ex.printStackTrace(e);
            e.flush();
            return code;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter e = ex.getCommandLine().getErr();
            e.println("vmlat: " + ex.getMessage());
            e.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            e.flush();
            return ExitCodes.USAGE;
        });
        return cl;
    }

    /**
     * Runs the command line. picocli hands its handler exceptions only; an Error (a jar replaced under
     * the running JVM, a heap too small) would reach the JVM and print a stack trace. It is reported
     * here in one line, as other failures are, with its trace under --verbose.
     */
    static int execute(CommandLine cl, String[] args) {
        try {
            return cl.execute(args);
        } catch (Error e) {
            PrintWriter err = cl.getErr();
            err.println("vmlat: internal error: " + e + (e.getCause() != null ? " (" + e.getCause() + ")" : "")
                    + (verbose ? "" : "; --verbose shows where"));
            if (verbose) e.printStackTrace(err);
            err.flush();
            return ExitCodes.ERROR;
        }
    }

    /** How long a shutdown waits for a measurement to stop before removing the private folder under it (the lab's stop waits 30 s). */
    private static final long STOP_WAIT_MS = 35_000;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        usePrivateFolder();
        // SIGTERM or Ctrl-C: System.exit below is not reached (the JVM halts once its shutdown hooks end), so
        // a hook removes the private folder, after the measurement that uses it has stopped
        Runtime.getRuntime().addShutdownHook(new Thread(() -> PrivateFolder.removeWhenUnused(STOP_WAIT_MS), "vmlat-private-folder"));
        List<Class<?>> subcommands = subcommandsFor(args);
        // the probe's loop compiles while picocli reads the command line, the largest part of the start-up
        if (subcommands.equals(List.of(MeasureCommand.class))) AheadWarmUp.start();
        int code = execute(commandLine(out, err, subcommands), args);
        out.flush();
        err.flush();
        PrivateFolder.remove();
        System.exit(code);
    }

    /**
     * Temporary files go to this vmlat's private folder, which is removed at the end; the folders
     * of vmlat processes that died (SIGKILL) are removed here. JNA and the SQLite driver unpack
     * their native libraries there too, unless the launcher already gave them unpacked copies.
     * This runs before the first native call.
     */
    private static void usePrivateFolder() {
        PrivateFolder.reapDead(VmlatDirs.state("tmp"));
        PrivateFolder.reapDead(PrivateFolder.fallbackRoot(), PrivateFolder.FALLBACK_PREFIX);
        try {
            String folder = PrivateFolder.get().toString();
            if (System.getProperty("org.sqlite.lib.path") == null) System.getProperties().putIfAbsent("org.sqlite.tmpdir", folder);
            if (System.getProperty("jna.boot.library.path") == null) System.getProperties().putIfAbsent("jna.tmpdir", folder);
        } catch (IOException | RuntimeException e) {
            // an unwritable state folder: the libraries fall back to the system's temporary folder
        }
    }
}
