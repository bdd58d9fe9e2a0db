package org.vmlat.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.vmlat.load.LeftoverReaper;
import org.vmlat.os.Executables;
import org.vmlat.lab.TargetInspection;
import org.vmlat.os.MemoryLock;
import org.vmlat.os.OsCallException;
import org.vmlat.os.SchedPolicy;
import org.vmlat.os.SystemFacts;
import org.vmlat.os.SystemFactsReader;
import org.vmlat.os.ThreadScheduling;
import org.vmlat.os.check.Capabilities;
import org.vmlat.os.check.Finding;
import org.vmlat.os.check.SetupChecks;
import org.vmlat.targets.image.GuestImageBuilder;
import org.vmlat.targets.qemu.AccelCheck;
import org.vmlat.targets.qemu.QemuSettings;
import org.vmlat.targets.qemu.QemuTarget;
import org.vmlat.targets.Target;
import org.vmlat.targets.TargetUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        header = "Check whether this system is set up for real-time latency measurement.",
        description = "Reads /proc and /sys, tries SCHED_FIFO and mlockall, looks for the tools, and explains each finding in one line.",
        footer = "%nExit codes: 0 no FAIL, 4 at least one FAIL (environment unusable for RT measurement), 2 usage.")
public final class DoctorCommand implements Callable<Integer> {
    static final List<String> TOOLS = List.of("cyclictest", "hackbench", "stress-ng", "qemu-system-x86_64");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print the findings and facts as JSON.")
    boolean json;

    @Option(names = "--kvm-test", description = "Boot a small guest under KVM (builds a guest image if needed, up to ~30 s) to see whether KVM really runs guests here.")
    boolean kvmTest;

    @Option(names = "--target", paramLabel = "NAME", description = "Check a target of PLAN instead of this machine (an ssh target: facts read and SCHED_FIFO tried there).")
    String target;

    @Parameters(arity = "0..1", paramLabel = "PLAN", description = "The plan that defines --target.")
    Path plan;

    @Option(names = "--root", paramLabel = "DIR", description = "Read facts below DIR instead of / (for checking a saved tree).", hidden = true)
    Path root;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        SystemFacts facts;
        Capabilities caps;
        if (target != null) {
            if (plan == null) throw new VmlatException(ExitCodes.USAGE, "--target needs the PLAN that defines it");
            Target.Inspection remote;
            try {
                remote = TargetInspection.inspect(plan, target, SystemFactsReader.live().onlineCpus(), m -> { if (!json) out.println("# " + m); }, m -> { });
            } catch (TargetUnavailableException e) {
                throw new VmlatException(ExitCodes.ENVIRONMENT, e.getMessage(), e);
            }
            if (!json) out.println("# target " + target + " on " + remote.where());
            facts = remote.facts();
            caps = remote.capabilities();
        } else {
            facts = new SystemFactsReader(root == null ? Path.of("/") : root).read();
            caps = root == null ? tryLive() : new Capabilities(Optional.empty(), Optional.empty(), Map.of(), Optional.empty());
            if (root == null) caps = withKvmTest(caps, out);
        }
        List<Finding> findings = SetupChecks.evaluate(facts, caps);
        // a dead vmlat's load still burning would spoil any measurement: say so, touch nothing
        if (root == null) Leftovers.mention(spec.commandLine().getErr());
        boolean fail = findings.stream().anyMatch(x -> x.level() == Finding.Level.FAIL);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            List<Object> list = new ArrayList<>();
            for (Finding x : findings) {
                Map<String, Object> fm = new LinkedHashMap<>();
                fm.put("level", x.level().name());
                fm.put("check", x.check());
                fm.put("finding", x.finding());
                fm.put("advice", x.advice());
                list.add(fm);
            }
            m.put("findings", list);
            m.put("facts", facts.asMap());
            m.put("ok", !fail);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        } else {
            out.println("# vmlat doctor: " + facts.kernelRelease() + " (" + facts.preemption() + "), " + facts.cpuModel());
            for (Finding x : findings) {
                out.printf(Locale.ROOT, "%-4s %-18s %s%s%n", x.level(), x.check(), x.finding(),
                        x.advice().isEmpty() ? "" : "  -> " + x.advice());
            }
            out.println(fail ? "Not ready for real-time measurement (see FAIL lines)." : "Ready to measure (WARN lines lower the quality of the figures).");
        }
        out.flush();
        return fail ? ExitCodes.ENVIRONMENT : ExitCodes.OK;
    }

    /** The KVM test boot's answer: run now with --kvm-test, else the one cached for this host boot. */
    private Capabilities withKvmTest(Capabilities caps, PrintWriter out) {
        Path cache = GuestImageBuilder.defaultCacheDir();
        Optional<String> answer = AccelCheck.cached(cache);
        if (kvmTest && Files.exists(Path.of("/dev/kvm")) && Executables.which("qemu-system-x86_64").isPresent()) {
            out.println("# test boot under KVM (building the guest image if needed)...");
            out.flush();
            var image = new GuestImageBuilder(cache).build("nrt", m -> { });
            var check = new AccelCheck(cache, LeftoverReaper.defaultStateDir());
            var qemu = new QemuTarget("kvm-test", new QemuSettings("nrt", 1, 256, "auto",
                    List.of(), 0, 0, List.of(), 60_000_000_000L), null, null, check, m -> { }, m -> { });
            answer = Optional.of(check.decide(image, qemu::command));
        }
        return new Capabilities(caps.fifoRefused(), caps.mlockRefused(), caps.tools(), caps.kvmOpen(), answer);
    }

    static Capabilities tryLive() throws InterruptedException {
        AtomicReference<String> fifo = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                ThreadScheduling.set(SchedPolicy.FIFO, 1);
                ThreadScheduling.set(SchedPolicy.OTHER, 0);
            } catch (OsCallException | UnsatisfiedLinkError e) {
                fifo.set(e.getMessage());
            }
        }, "vmlat-doctor-fifo");
        t.start();
        t.join();
        String mlock = null;
        try (MemoryLock lock = MemoryLock.lockAll()) {
            // granted; released at once
        } catch (OsCallException e) {
            mlock = e.getMessage();
        }
        Map<String, Optional<String>> tools = new LinkedHashMap<>();
        for (String tool : TOOLS) tools.put(tool, Executables.which(tool).map(Path::toString));
        String kvm = null;
        Path dev = Path.of("/dev/kvm");
        if (Files.exists(dev) && !(Files.isReadable(dev) && Files.isWritable(dev))) kvm = "permission denied";
        return new Capabilities(Optional.ofNullable(fifo.get()), Optional.ofNullable(mlock), tools, Optional.ofNullable(kvm));
    }
}
