package org.vmlat.cli;

import java.io.IOException;
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
import org.vmlat.os.check.CheckScope;
import org.vmlat.os.check.HostChecks;
import org.vmlat.os.check.SystemTree;
import org.vmlat.os.CpuList;
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
        description = "Reads /proc and /sys, tries SCHED_FIFO and mlockall, looks for the tools, runs the checks RT engineers run by hand (IRQ thread priorities, SMT siblings, irqbalance, transparent hugepages, nmi_watchdog, timer_migration, tuned, cpu_dma_latency holders, guests' vCPU threads), and explains each finding in one line.",
        footer = "%nExit codes: 0 no FAIL, 4 at least one FAIL (environment unusable for RT measurement), 2 usage.")
public final class DoctorCommand implements Callable<Integer> {
    static final List<String> TOOLS = List.of("cyclictest", "hackbench", "stress-ng", "qemu-system-x86_64");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private AccelCheck.TestBoot kvmBoot;

    @Option(names = "--json", description = "Print the findings and facts as JSON.")
    boolean json;

    @Option(names = "--kvm-test", description = "Boot a small guest under KVM now (builds a guest image if needed, up to ~30 s) to see whether KVM really runs guests here; runs then reuse the answer.")
    boolean kvmTest;

    @Option(names = {"-a", "--affinity"}, paramLabel = "CPUSET", description = "The CPUs the probe will measure on, for the IRQ thread and SMT checks. Default: the isolated CPUs, else all online.")
    String affinity;

    @Option(names = {"-p", "--priority"}, defaultValue = "95", description = "The probe's real-time priority, which IRQ threads are compared with. Default: ${DEFAULT-VALUE}.")
    int priority;

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
        List<Finding> findings = new ArrayList<>(SetupChecks.evaluate(facts, caps));
        // the hand-run checks read this machine's /proc and /sys: not a remote target's
        if (target == null) findings.addAll(HostChecks.run(new SystemTree(root == null ? Path.of("/") : root), scope(facts)));
        // a dead vmlat's load still burning would spoil any measurement: say so, touch nothing
        if (root == null) Leftovers.mention(spec.commandLine().getErr());
        boolean fail = findings.stream().anyMatch(x -> x.level() == Finding.Level.FAIL);
        if (json) DoctorOutput.json(out, facts, findings, kvmBoot);
        else DoctorOutput.text(out, facts, findings);
        out.flush();
        return fail ? ExitCodes.ENVIRONMENT : ExitCodes.OK;
    }

    private CheckScope scope(SystemFacts facts) {
        List<Integer> cpus;
        try {
            cpus = affinity != null ? CpuList.parse(affinity) : facts.isolatedCpus().isEmpty() ? facts.onlineCpus() : facts.isolatedCpus();
        } catch (IllegalArgumentException e) {
            throw new VmlatException(ExitCodes.USAGE, "-a/--affinity: " + e.getMessage());
        }
        if (priority < 1 || priority > 99) throw new VmlatException(ExitCodes.USAGE, "-p/--priority: expected 1..99, got " + priority);
        return new CheckScope(cpus, priority);
    }

    /** The KVM test boot's answer: a guest booted now with --kvm-test, else the one cached for this host boot. */
    private Capabilities withKvmTest(Capabilities caps, PrintWriter out) throws IOException {
        Path cache = GuestImageBuilder.defaultCacheDir();
        Optional<String> answer = AccelCheck.cached(cache);
        if (kvmTest) {
            if (!Files.exists(Path.of("/dev/kvm")) || Executables.which("qemu-system-x86_64").isEmpty()) {
                throw new VmlatException(ExitCodes.ENVIRONMENT, "--kvm-test: " + (Files.exists(Path.of("/dev/kvm")) ? "qemu-system-x86_64 not installed" : "no /dev/kvm here"));
            }
            PrintWriter note = json ? spec.commandLine().getErr() : out;
            note.println("# test boot under KVM (building the guest image if needed)...");
            note.flush();
            var image = new GuestImageBuilder(cache).build("nrt", m -> { });
            var check = new AccelCheck(cache, LeftoverReaper.defaultStateDir());
            var qemu = new QemuTarget("kvm-test", new QemuSettings("nrt", 1, 256, "auto",
                    List.of(), 0, 0, List.of(), 60_000_000_000L), null, null, check, m -> { }, m -> { });
            kvmBoot = check.testBoot(image, qemu::command);
            note.printf(Locale.ROOT, "# test boot: QEMU pid %d, %d ms, guest %s%n", kvmBoot.qemuPid(), kvmBoot.elapsedMs(),
                    kvmBoot.answer().equals("kvm") ? "finished under KVM" : "did not finish under KVM: " + kvmBoot.why());
            answer = Optional.of(kvmBoot.answer());
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
