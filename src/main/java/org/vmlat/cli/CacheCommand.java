package org.vmlat.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "cache", header = "List or clean what vmlat keeps in ~/.cache/vmlat and the kept guest consoles.", mixinStandardHelpOptions = true,
        subcommands = {CacheListCommand.class, CacheCleanCommand.class})
public final class CacheCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
