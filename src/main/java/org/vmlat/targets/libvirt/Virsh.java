package org.vmlat.targets.libvirt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmlat.os.CpuList;
import org.vmlat.os.command.CommandResult;
import org.vmlat.os.command.CommandRunner;

/**
 * The one driver for virsh: builds its command lines for one domain on one libvirt URI, runs them
 * through a {@link CommandRunner} (this machine; virsh reaches a remote libvirt itself through its
 * {@code qemu+ssh://} transport) and parses what it prints. Every failure names the command and
 * virsh's own message.
 */
public final class Virsh {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_NS = 60_000_000_000L;
    /** A row of {@code virsh vcpupin DOM}: " 0      1-3". */
    private static final Pattern VCPUPIN_ROW = Pattern.compile("^\\s*(\\d+)\\s+([0-9,\\-]+)\\s*$");
    /** The row of {@code virsh emulatorpin DOM}: "       *: 0-1". */
    private static final Pattern EMULATORPIN_ROW = Pattern.compile("^\\s*(?:\\*:\\s*)?([0-9,\\-]+)\\s*$");

    private final CommandRunner runner;
    private final String uri;
    private final String domain;

    public Virsh(CommandRunner runner, String uri, String domain) {
        this.runner = runner;
        this.uri = uri;
        this.domain = domain;
    }

    public String domain() {
        return domain;
    }

    public String uri() {
        return uri;
    }

    /** The command line of a virsh subcommand on this domain. */
    public List<String> command(String subcommand, String... args) {
        List<String> c = new ArrayList<>(List.of("virsh", "-q", "-c", uri, subcommand, domain));
        c.addAll(List.of(args));
        return c;
    }

    /** Runs a subcommand and returns its stdout; throws {@link LibvirtException} with virsh's message when it fails. */
    public String run(String subcommand, String... args) {
        List<String> c = command(subcommand, args);
        CommandResult r = runner.run(c, TIMEOUT_NS);
        if (!r.ok()) {
            String why = r.timedOut() ? "no answer within " + TIMEOUT_NS / 1_000_000_000L + " s" : (r.stderr() + r.stdout()).strip();
            throw new LibvirtException(String.join(" ", c) + ": " + why);
        }
        return r.stdout();
    }

    /** The domain's live XML. */
    public String dumpXml() {
        return run("dumpxml");
    }

    /** "running", "shut off", ... */
    public String state() {
        return run("domstate").strip();
    }

    /** A QMP command through libvirt's monitor; its {@code return} member. */
    public JsonNode monitor(String execute) {
        return returned("qemu-monitor-command", run("qemu-monitor-command", "{\"execute\":\"" + execute + "\"}"));
    }

    /** A guest agent command (JSON text); its {@code return} member. */
    public JsonNode agent(String commandJson, int timeoutSeconds) {
        return returned("qemu-agent-command", run("qemu-agent-command", "--timeout", Integer.toString(timeoutSeconds), commandJson));
    }

    private static JsonNode returned(String what, String text) {
        try {
            JsonNode n = JSON.readTree(text);
            if (n == null || !n.has("return")) throw new LibvirtException(what + " answered without \"return\": " + text.strip());
            return n.get("return");
        } catch (IOException e) {
            throw new LibvirtException(what + " answered no JSON: " + text.strip(), e);
        }
    }

    /** The vCPU threads: thread id by vCPU index, from QMP's query-cpus-fast. */
    public Map<Integer, Integer> vcpuThreads() {
        return vcpuThreads(monitor("query-cpus-fast"));
    }

    static Map<Integer, Integer> vcpuThreads(JsonNode cpus) {
        Map<Integer, Integer> out = new TreeMap<>();
        for (JsonNode c : cpus) out.put(c.get("cpu-index").asInt(), c.get("thread-id").asInt());
        if (out.isEmpty()) throw new LibvirtException("query-cpus-fast listed no vCPU");
        return out;
    }

    /** The I/O threads' ids (the domain's {@code <iothreads>}), from QMP's query-iothreads. */
    public List<Integer> ioThreads() {
        List<Integer> out = new ArrayList<>();
        for (JsonNode t : monitor("query-iothreads")) out.add(t.get("thread-id").asInt());
        return out;
    }

    /** The live pinning of each vCPU, as libvirt keeps it ({@code virsh vcpupin DOM --live}). */
    public Map<Integer, List<Integer>> vcpuPins() {
        return vcpuPins(run("vcpupin", "--live"));
    }

    static Map<Integer, List<Integer>> vcpuPins(String text) {
        Map<Integer, List<Integer>> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher m = VCPUPIN_ROW.matcher(line);
            if (m.matches()) out.put(Integer.parseInt(m.group(1)), CpuList.parse(m.group(2)));
        }
        if (out.isEmpty()) throw new LibvirtException("virsh vcpupin printed no vCPU: " + text.strip());
        return out;
    }

    /** The live pinning of the emulator threads ({@code virsh emulatorpin DOM --live}). */
    public List<Integer> emulatorPin() {
        return emulatorPin(run("emulatorpin", "--live"));
    }

    static List<Integer> emulatorPin(String text) {
        for (String line : text.split("\n")) {
            Matcher m = EMULATORPIN_ROW.matcher(line);
            if (m.matches()) return CpuList.parse(m.group(1));
        }
        throw new LibvirtException("virsh emulatorpin printed no CPU list: " + text.strip());
    }

    public void pinVcpu(int vcpu, List<Integer> cpus) {
        run("vcpupin", Integer.toString(vcpu), CpuList.format(cpus), "--live");
    }

    public void pinEmulator(List<Integer> cpus) {
        run("emulatorpin", CpuList.format(cpus), "--live");
    }
}
