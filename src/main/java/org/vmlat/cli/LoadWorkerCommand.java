package org.vmlat.cli;

import java.util.concurrent.Callable;
import org.vmlat.load.BuiltinLoad;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Runs one of vmlat's built-in loads until killed; the lab starts it as a child process. */
@Command(name = "_load", hidden = true)
public final class LoadWorkerCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "syscall, pipe, disk, memory or cpu")
    String kind;

    @Parameters(index = "1", defaultValue = "1")
    int workers;

    @Override
    public Integer call() throws Exception {
        BuiltinLoad.run(kind, workers);
        return ExitCodes.OK;
    }
}
