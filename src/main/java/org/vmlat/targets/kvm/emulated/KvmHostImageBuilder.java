package org.vmlat.targets.kvm.emulated;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.vmlat.os.VmlatDirs;
import org.vmlat.os.FileTrees;
import org.vmlat.probe.ProbeException;
import org.vmlat.targets.emulated.DebianPackages;
import org.vmlat.targets.emulated.InitramfsImage;
import org.vmlat.targets.emulated.SshKeys;
import org.vmlat.targets.image.GuestImage;
import org.vmlat.targets.image.GuestImageBuilder;

/**
 * Builds what {@code vmlat kvm up} boots: Debian's non-RT kernel (the PVH ELF of vmlat's NRT guest
 * image, the same package) and an initramfs with busybox, the KVM modules (irqbypass, ccp, kvm,
 * kvm-amd, loaded in that order by /init), e1000 for the forwarded SSH port, OpenSSH's sshd with a
 * generated host key and vmlat's client key, stress-ng, hackbench, cyclictest and chrt, this
 * machine's qemu-system-x86_64 with its libraries, SeaBIOS and option ROMs, and vmlat's NRT and RT
 * guest images for inner guests under /var/lib/vmlat/guests/{nrt,rt}. The kernel package and
 * openssh-server are fetched with {@code apt-get download} and unpacked, not installed. Cached
 * under the cache directory, keyed by the kernel packages.
 */
public final class KvmHostImageBuilder {
    /** Bumped whenever the host's /init or the image layout changes. */
    static final String FORMAT = "2";
    static final List<String> PACKAGES = List.of("openssh-server", "libwrap0");
    /** kvm needs irqbypass, kvm-amd needs kvm and ccp (SEV): insmod has no dependency resolution. */
    static final List<String> MODULES = List.of("virt/lib/irqbypass.ko", "drivers/crypto/ccp/ccp.ko", "arch/x86/kvm/kvm.ko",
            "arch/x86/kvm/kvm-amd.ko", "drivers/net/ethernet/intel/e1000/e1000.ko");
    /** Where the inner guests' images are on the host: DIR/{nrt,rt}/{vmlinux,initrd.gz}. */
    public static final String GUESTS = "/var/lib/vmlat/guests";

    /**
     * What the emulated KVM host boots, and the keys to reach it.
     *
     * @param kernel the host kernel (PVH ELF)
     */
    public record HostImage(Path kernel, Path initrd, SshKeys keys, String kernelPackage, String nrtGuestPackage, String rtGuestPackage) {}

    private final Path cacheDir;
    private final GuestImageBuilder guests;

    public KvmHostImageBuilder(Path cacheDir, GuestImageBuilder guests) {
        this.cacheDir = cacheDir;
        this.guests = guests;
    }

    public static Path defaultCacheDir() {
        return VmlatDirs.cache("kvm");
    }

    public HostImage build(Consumer<String> progress) {
        try {
            Files.createDirectories(cacheDir);
            GuestImage nrt = guests.build("nrt", progress), rt = guests.build("rt", progress);
            Path dir = cacheDir.resolve("host-" + nrt.kernelPackage());
            HostImage cached = cached(dir, nrt, rt);
            if (cached != null) return cached;
            Path work = Files.createTempDirectory(cacheDir, "build-");
            Path root = work.resolve("root");
            progress.accept("downloading " + nrt.kernelPackage() + " (its KVM modules) and openssh-server (apt-get download, not installed)");
            DebianPackages.unpack(List.of(PACKAGES.get(0), PACKAGES.get(1), nrt.kernelPackage()), work.resolve("debs"), root);
            Path modules = root.resolve("lib/modules/" + nrt.release() + "/kernel");
            if (!Files.isDirectory(modules)) throw new ProbeException(nrt.kernelPackage() + " holds no lib/modules/" + nrt.release());
            Files.createDirectories(dir);
            SshKeys keys = SshKeys.in(dir.resolve("keys"), "vmlat-emulated-kvm-host");
            progress.accept("packing the KVM host's initramfs (KVM modules, sshd, QEMU, stress-ng, NRT and RT guest images)");
            writeInitramfs(dir.resolve("host.cpio.gz"), root, modules, keys, nrt, rt);
            Properties p = new Properties();
            p.setProperty("format", FORMAT);
            p.setProperty("kernel_package", nrt.kernelPackage());
            p.setProperty("rt_guest_package", rt.kernelPackage());
            try (OutputStream o = Files.newOutputStream(dir.resolve("image.properties"))) {
                p.store(o, "vmlat emulated KVM host");
            }
            FileTrees.delete(work);
            return cached(dir, nrt, rt);
        } catch (IOException e) {
            throw new ProbeException("building the emulated KVM host: " + e.getMessage(), e);
        }
    }

    private static HostImage cached(Path dir, GuestImage nrt, GuestImage rt) throws IOException {
        Path info = dir.resolve("image.properties");
        if (!Files.exists(info)) return null;
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(info)) {
            p.load(in);
        }
        if (!FORMAT.equals(p.getProperty("format")) || !rt.kernelPackage().equals(p.getProperty("rt_guest_package"))) return null;
        return new HostImage(nrt.kernel(), dir.resolve("host.cpio.gz"), SshKeys.existing(dir.resolve("keys")), nrt.kernelPackage(),
                nrt.kernelPackage(), rt.kernelPackage());
    }

    /** The host's /init: the KVM modules, the network for the forwarded SSH port, sshd, then wait. */
    static final String INIT = """
            #!/bin/busybox sh
            /bin/busybox --install -s /bin
            export PATH=/usr/sbin:/usr/bin:/sbin:/bin
            mount -t proc proc /proc
            mount -t sysfs sys /sys
            mount -t devtmpfs dev /dev
            mkdir -p /dev/pts /dev/shm
            mount -t devpts devpts /dev/pts
            mount -t tmpfs shm /dev/shm
            mount -t tmpfs run /run
            mkdir -p /run/sshd /run/lock /run/vmlat
            for m in /lib/vmlat/*.ko; do insmod $m || echo "VMLAT-KVM-ERROR insmod $m: $(dmesg | tail -n 2 | tr '\\n' ' ')"; done
            ip link set lo up
            ip link set eth0 up
            ip addr add 10.0.2.15/24 dev eth0
            ip route add default via 10.0.2.2
            /usr/sbin/sshd -E /var/log/sshd.log || echo "VMLAT-KVM-ERROR sshd"
            echo "VMLAT-KVM-READY $(uname -r) kvm_amd npt=$(cat /sys/module/kvm_amd/parameters/npt 2>/dev/null || echo none)"
            while true; do sleep 3600; done
            """;

    private void writeInitramfs(Path target, Path root, Path modules, SshKeys keys, GuestImage nrt, GuestImage rt) throws IOException {
        String ldPath = String.join(":", root.resolve("usr/lib/x86_64-linux-gnu").toString(), root.resolve("lib/x86_64-linux-gnu").toString());
        InitramfsImage img = new InitramfsImage(guests.busybox(), INIT);
        img.directory("lib/vmlat", 0755).directory("var/lib", 0755);
        img.sshServer(root, ldPath, keys);
        for (String[] t : new String[][] {{"stress-ng", "stress-ng"}, {"hackbench", "rt-tests"}, {"cyclictest", "rt-tests"}, {"chrt", "util-linux"},
            {"taskset", "util-linux"}, {"qemu-system-x86_64", "qemu-system-x86"}}) {
            img.tool(t[0], t[1]);
        }
        // inner guests boot the PVH ELF (pvh.bin) with SeaBIOS; -nodefaults leaves no VGA or NIC ROM to load
        img.hostFile("usr/share/seabios/bios-256k.bin", "seabios");
        img.link("usr/share/qemu/bios-256k.bin", "../seabios/bios-256k.bin");
        for (String f : List.of("pvh.bin", "linuxboot.bin", "linuxboot_dma.bin", "kvmvapic.bin", "multiboot_dma.bin", "keymaps/en-us")) {
            img.hostFile("usr/share/qemu/" + f, "qemu-system-data");
        }
        img.link("var/run", "/run");
        img.link("var/lock", "/run/lock");
        for (String m : MODULES) img.module(modules.resolve(m));
        for (GuestImage g : List.of(nrt, rt)) {
            String d = GUESTS.substring(1) + "/" + (g.realtime() ? "rt" : "nrt");
            img.file(d + "/vmlinux", g.kernel(), 0644).file(d + "/initrd.gz", g.initrd(), 0644).text(d + "/release", 0644, g.release() + "\n");
        }
        img.emulated(EmulatedKvm.EMULATION);
        // QEMU and two guest kernels: level 1 packs them several times faster than 6 for a few MB more
        img.write(target, 1);
    }
}
