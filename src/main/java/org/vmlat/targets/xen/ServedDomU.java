package org.vmlat.targets.xen;

import java.util.List;
import org.vmlat.probe.ProbeException;
import org.vmlat.targets.KeptGuestSlot;
import org.vmlat.targets.ssh.SshSession;

/**
 * A Xen guest booted to serve scenarios (its /init runs with vmlat.serve): its domain in Dom0, its console as
 * xl console writes it to a file there, and the FIFO that console reader takes its input from, through which each
 * scenario's command line reaches the guest's console. Closing it destroys the domain (the console reader ends
 * with it) and the cpupool made for it, and removes its files.
 */
final class ServedDomU implements KeptGuestSlot.Guest<ServedDomU.Key> {
    /**
     * What a domain is created with and cannot change while it runs: its xl configuration but its name, the
     * device model's priority (set once, when it boots) and the scheduler of the cpupool it runs in ("" for Pool-0).
     */
    record Key(String config, int dmPriority, String scheduler) {}

    private final Key key;
    private final String name;
    private final String config;
    private final long bootMs;
    private final SshSession ssh;
    private final String pool;
    private final List<Integer> poolCpus;
    private int served;

    /**
     * @param key    what the guest was booted with: the scenarios whose keys are equal can share it
     * @param name   the domain's name ({@code vmlat-HOST-PID-N}, so a later vmlat ends it when this one was killed)
     * @param config the xl configuration it was created with (kept with each result)
     * @param bootMs from {@code xl create} to the guest's first "serving" line
     * @param pool   the cpupool made for the guest, destroyed after it ("" for none)
     * @param poolCpus the pool's CPUs, given back to Pool-0 when it is destroyed
     */
    ServedDomU(Key key, String name, String config, long bootMs, SshSession ssh, String pool, List<Integer> poolCpus) {
        this.key = key;
        this.name = name;
        this.config = config;
        this.bootMs = bootMs;
        this.ssh = ssh;
        this.pool = pool;
        this.poolCpus = List.copyOf(poolCpus);
    }

    @Override
    public Key key() {
        return key;
    }

    String name() {
        return name;
    }

    String config() {
        return config;
    }

    long bootMs() {
        return bootMs;
    }

    String console() {
        return Dom0.RUN_DIR + "/" + name + ".console";
    }

    /** The FIFO that xl console reads its input from, opened read-write there so that it never sees an end. */
    String input() {
        return Dom0.RUN_DIR + "/" + name + ".in";
    }

    String configPath() {
        return Dom0.RUN_DIR + "/" + name + ".cfg";
    }

    /** The next scenario's number in this boot (1, 2, ...): the markers of its start and end carry it. */
    int nextScenario() {
        return ++served;
    }

    /** Scenarios this boot served or is serving. */
    int servedCount() {
        return served;
    }

    /**
     * Sends one command line to the guest's console (plain words, as /init reads them).
     *
     * @return the console's length just before: what the guest writes for this command comes after it
     */
    long send(String line) {
        SshSession.Result r = ssh.run("wc -c < " + console() + " && printf '%s\\n' " + SshSession.quote(line) + " > " + input(), null, 60_000);
        if (!r.ok()) throw new ProbeException("cannot send to guest " + name + " through " + input() + ": " + (r.err() + r.out()).strip());
        try {
            return Long.parseLong(r.out().strip());
        } catch (NumberFormatException e) {
            throw new ProbeException("cannot read the length of " + console() + " in Dom0: \"" + r.out().strip() + "\"");
        }
    }

    @Override
    public void close() {
        XenTarget.destroyDomain(ssh, name);
        if (!pool.isEmpty()) XenTarget.destroyPool(ssh, pool, poolCpus);
        ssh.run("rm -f " + configPath() + " " + console() + " " + console() + ".pid " + input(), null, 60_000);
    }
}
