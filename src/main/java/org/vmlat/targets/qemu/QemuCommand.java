package org.vmlat.targets.qemu;

import java.util.ArrayList;
import java.util.List;
import org.vmlat.targets.image.GuestCmdline;
import org.vmlat.targets.image.GuestTrace;

/**
 * The QEMU command lines of one target's guests: a guest booted for one scenario (its options on
 * the kernel command line) and a guest that serves scenarios (a {@link BootKey} and a channel
 * socket). The directory named in each (on QEMU's host) receives the console, the result, the
 * sockets and QEMU's pid file; the threads are named so that the vCPU threads can be found.
 */
final class QemuCommand {
    /** Where the result lands when the guest does not find its virtio-serial port in time. */
    static final String SERIAL_RESULT = "result-serial.txt";
    /** The guest's clock round trips, when it traces its kernel. */
    static final String SYNC_SOCKET = "sync.sock";
    /** QEMU's socket behind the port of a guest that serves scenarios. */
    static final String CHANNEL = "channel.sock";
    /** The guest kernel parameter that makes /init serve scenarios. */
    static final String SERVE = "vmlat.serve=1";

    private final String name;
    private final QemuSettings settings;
    private final boolean local;

    /** @param local whether QEMU runs on this machine (the clock round trips reach its sockets only there) */
    QemuCommand(String name, QemuSettings settings, boolean local) {
        this.name = name;
        this.settings = settings;
        this.local = local;
    }

    /** A guest booted for one scenario: cyclictest's {@code args}, the guest load's name ("" for none), traced or not. */
    List<String> oneScenario(String kernel, String initrd, boolean virtioSerial, String accelerator, String args, String guestLoad,
                             boolean trace, String dir) {
        String vmlat = "vmlat.args=" + args + (guestLoad.isEmpty() ? "" : " vmlat.load=" + guestLoad) + (trace ? " " + GuestTrace.KERNEL_ARGS : "");
        List<String> c = base(kernel, initrd, accelerator, cmdline(vmlat), dir);
        if (virtioSerial) {
            // the second serial port catches the result when the guest looked for the port's name before the host had
            // sent it (a slow guest: the name comes in a control message after the driver loads); /init then writes to ttyS1
            c.addAll(List.of("-serial", "file:" + dir + "/" + SERIAL_RESULT,
                    "-device", "virtio-serial-pci", "-chardev", "file,id=vmlatres,path=" + dir + "/result.txt",
                    "-device", "virtserialport,chardev=vmlatres,name=vmlat"));
            if (trace) {
                // the clock round trips that align the guest's trace with this machine's; on another machine made by a
                // shell there (RemoteHostTrace), through FIFOs it made before
                c.addAll(local ? syncPort(dir) : List.of("-chardev", "pipe,id=vmlatsync,path=" + dir + "/" + RemoteHostTrace.SYNC_PIPE,
                        "-device", "virtserialport,chardev=vmlatsync,name=vmlat-sync"));
            }
        } else {
            c.addAll(List.of("-serial", "file:" + dir + "/result.txt"));
        }
        return finish(c, accelerator);
    }

    /**
     * A guest serving scenarios through the socket {@link #CHANNEL} in {@code dir}. It always has the clock port: a
     * scenario traced on it needs the port, and a device cannot be added to a running guest without a driver's dance
     * that /init does not do.
     */
    List<String> served(BootKey key, String dir) {
        List<String> c = base(key.kernel(), key.initrd(), key.accel(), key.cmdline(), dir);
        c.addAll(List.of("-device", "virtio-serial-pci", "-chardev", "socket,id=vmlatres,path=" + dir + "/" + CHANNEL + ",server=on,wait=off",
                "-device", "virtserialport,chardev=vmlatres,name=vmlat"));
        c.addAll(syncPort(dir));
        return finish(c, key.accel());
    }

    /** The clock round trips' port: a socket vmlat connects to while a traced scenario measures. */
    private static List<String> syncPort(String dir) {
        return List.of("-chardev", "socket,id=vmlatsync,path=" + dir + "/" + SYNC_SOCKET + ",server=on,wait=off",
                "-device", "virtserialport,chardev=vmlatsync,name=vmlat-sync");
    }

    /** The key of a guest that serves scenarios: what its QEMU command holds but its directory. */
    BootKey bootKey(String where, QemuHost.ImageFiles installed, String accelerator) {
        return new BootKey(where, installed.kernel(), installed.initrd(), cmdline(SERVE), settings.vcpus(), settings.memoryMb(), accelerator,
                settings.extraArgs());
    }

    /**
     * The guest kernel's command line with the scenario's guest_cmdline and vmlat's own parameters
     * last. no_timer_check: under TCG on a starved host the kernel's IO-APIC timer check sees too
     * few ticks and panics the boot ("IO-APIC + timer doesn't work"); a virtual machine's timer
     * works, the check only costs boots.
     */
    String cmdline(String vmlatParameters) {
        return "console=ttyS0 quiet panic=-1 no_timer_check " + GuestCmdline.prefix(settings.guestCmdline()) + vmlatParameters;
    }

    /** QEMU's -name: the target's name, so that {@code vmlat design --apply TARGET} finds the guest. */
    String guestName() {
        return "vmlat-guest-" + name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private List<String> base(String kernel, String initrd, String accelerator, String cmdline, String dir) {
        return new ArrayList<>(List.of("qemu-system-x86_64", "-name", guestName() + ",debug-threads=on", "-accel", accelerator,
                "-m", Integer.toString(settings.memoryMb()),
                "-smp", Integer.toString(settings.vcpus()), "-nodefaults", "-display", "none", "-no-reboot",
                "-kernel", kernel, "-initrd", initrd,
                "-append", cmdline,
                "-serial", "file:" + dir + "/console.log",
                "-qmp", "unix:" + dir + "/qmp.sock,server=on,wait=off", "-pidfile", dir + "/qemu.pid"));
    }

    private List<String> finish(List<String> c, String accelerator) {
        if (accelerator.equals("kvm")) c.addAll(List.of("-cpu", "host"));
        c.addAll(settings.extraArgs());
        return c;
    }
}
