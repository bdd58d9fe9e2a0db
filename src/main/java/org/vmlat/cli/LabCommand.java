package org.vmlat.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "lab", header = "Run experiment matrices.", mixinStandardHelpOptions = true,
        subcommands = {LabRunCommand.class, LabSubmitCommand.class, LabWorkerCommand.class, LabStatusCommand.class})
public final class LabCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
