package org.vmlat.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import org.vmlat.targets.image.GuestImage;
import org.vmlat.targets.image.GuestImageBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "guest", mixinStandardHelpOptions = true, header = "Build guest images for QEMU targets.",
        subcommands = {GuestCommand.Build.class})
public final class GuestCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            header = "Make a guest image from a Debian kernel (non-RT or PREEMPT_RT) and a small initramfs with cyclictest.",
            description = {"nrt = linux-image-amd64, rt = linux-image-rt-amd64 (fetched with apt-get download, not installed),",
                "or a path to a kernel .deb, vmlinuz or ELF. Images are cached per kernel version."},
            footer = ExitCodes.FOOTER)
    static final class Build implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--kernel", required = true, paramLabel = "nrt|rt|PATH")
        String kernel;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            GuestImage img = new GuestImageBuilder(GuestImageBuilder.defaultCacheDir()).build(kernel, m -> {
                out.println("vmlat: " + m);
                out.flush();
            });
            out.printf("Guest image %s: kernel %s (%s, %s), %d MiB ELF; initramfs %d KiB%n", img.name(), img.release(), img.kernelPackage(),
                    img.realtime() ? "PREEMPT_RT" : "not RT", Files.size(img.kernel()) >> 20, Files.size(img.initrd()) >> 10);
            out.println("  " + img.kernel());
            out.println("  " + img.initrd());
            out.flush();
            return ExitCodes.OK;
        }
    }
}
