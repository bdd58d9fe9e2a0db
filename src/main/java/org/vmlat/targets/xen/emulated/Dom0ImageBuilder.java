package org.vmlat.targets.xen.emulated;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.vmlat.os.VmlatDirs;
import org.vmlat.os.FileTrees;
import org.vmlat.probe.ProbeException;
import org.vmlat.targets.emulated.DebianPackages;
import org.vmlat.targets.emulated.InitramfsImage;
import org.vmlat.targets.emulated.SshKeys;
import org.vmlat.targets.image.GuestImageBuilder;

/**
 * Builds what {@code vmlat xen up} boots: Debian's Xen hypervisor (gunzipped to the multiboot ELF
 * QEMU loads), a Debian kernel for Dom0 and a Dom0 initramfs with busybox, the xl toolstack
 * (xenstored, xenconsoled, xen-init-dom0, xl), the HVM device model (qemu-system-xen with SeaBIOS
 * and QEMU's option ROMs), OpenSSH's sshd with a generated host key and vmlat's client key, and
 * stress-ng, hackbench and cyclictest for loads in Dom0. Packages are fetched with
 * {@code apt-get download} and unpacked with {@code dpkg -x}; nothing is installed on this machine.
 * Everything is cached under the cache directory, keyed by the package versions.
 */
public final class Dom0ImageBuilder {
    /** Bumped whenever the Dom0 /init or the image layout changes. */
    static final String FORMAT = "4";
    static final List<String> PACKAGES = List.of("xen-hypervisor-4.17-amd64", "xen-utils-4.17", "xen-utils-common", "libxenmisc4.17",
            "libxencall1", "libxenevtchn1", "libxenforeignmemory1", "libxengnttab1", "libxenstore4", "libxentoollog1", "libxendevicemodel1",
            "libxenhypfs1", "libxentoolcore1", "libyajl2", "qemu-system-xen", "openssh-server", "libwrap0");
    /** Dom0's modules in insmod order: xen-privcmd before xenfs (xenfs needs its symbols); e1000 for the forwarded SSH port. */
    static final List<String> MODULES = List.of("drivers/xen/xen-evtchn.ko", "drivers/xen/xen-privcmd.ko", "drivers/xen/xenfs/xenfs.ko",
            "drivers/xen/xen-gntdev.ko", "drivers/xen/xen-gntalloc.ko", "drivers/net/ethernet/intel/e1000/e1000.ko");

    /** What the emulated machine boots, and the keys to reach it. */
    public record Dom0Image(Path hypervisor, Path kernel, Path initrd, SshKeys keys, String xenPackage, String kernelPackage) {}

    private final Path cacheDir;
    private final GuestImageBuilder guests;

    public Dom0ImageBuilder(Path cacheDir) {
        this.cacheDir = cacheDir;
        this.guests = new GuestImageBuilder(GuestImageBuilder.defaultCacheDir());
    }

    public static Path defaultCacheDir() {
        return VmlatDirs.cache("xen");
    }

    public Dom0Image build(Consumer<String> progress) {
        try {
            Files.createDirectories(cacheDir);
            String kernelPkg = GuestImageBuilder.resolve("linux-image-amd64");
            Path dir = cacheDir.resolve("dom0-" + kernelPkg);
            Dom0Image cached = cached(dir);
            if (cached != null) return cached;
            Path work = Files.createTempDirectory(cacheDir, "build-");
            Path debs = work.resolve("debs"), root = work.resolve("root");
            List<String> pkgs = new ArrayList<>(PACKAGES);
            pkgs.add(kernelPkg);
            progress.accept("downloading Xen 4.17, qemu-system-xen, openssh-server and " + kernelPkg + " (apt-get download, not installed)");
            DebianPackages.unpack(pkgs, debs, root);
            Files.createDirectories(dir);
            Path xenGz = DebianPackages.only(root.resolve("boot"), "xen-", "-amd64.gz");
            Path hypervisor = dir.resolve("xen.elf");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(xenGz))) {
                Files.copy(in, hypervisor, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Path vmlinuz = DebianPackages.only(root.resolve("boot"), "vmlinuz-", "");
            String release = vmlinuz.getFileName().toString().substring("vmlinuz-".length());
            Files.copy(vmlinuz, dir.resolve("vmlinuz"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            SshKeys keys = SshKeys.in(dir.resolve("keys"), "vmlat-emulated-dom0");
            progress.accept("packing the Dom0 initramfs (xl toolstack, sshd, qemu-system-xen, stress-ng)");
            writeInitramfs(dir.resolve("dom0.cpio.gz"), root, release, keys);
            String[] deb = DebianPackages.only(debs, "xen-hypervisor-", ".deb").getFileName().toString().replace("%3a", ":").split("_");
            String xenPkg = "Xen " + (deb.length > 1 ? deb[1] : deb[0]);
            Properties p = new Properties();
            p.setProperty("format", FORMAT);
            p.setProperty("xen_package", xenPkg);
            p.setProperty("kernel_package", kernelPkg);
            try (OutputStream o = Files.newOutputStream(dir.resolve("image.properties"))) {
                p.store(o, "vmlat emulated Dom0");
            }
            FileTrees.delete(work);
            return cached(dir);
        } catch (IOException e) {
            throw new ProbeException("building the emulated Dom0: " + e.getMessage(), e);
        }
    }

    private Dom0Image cached(Path dir) throws IOException {
        Path info = dir.resolve("image.properties");
        if (!Files.exists(info)) return null;
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(info)) {
            p.load(in);
        }
        if (!FORMAT.equals(p.getProperty("format"))) return null;
        return new Dom0Image(dir.resolve("xen.elf"), dir.resolve("vmlinuz"), dir.resolve("dom0.cpio.gz"), SshKeys.existing(dir.resolve("keys")),
                p.getProperty("xen_package"), p.getProperty("kernel_package"));
    }

    /** Dom0's /init: Xen's services, the network for the forwarded SSH port, sshd, then wait. */
    static final String INIT = """
            #!/bin/busybox sh
            /bin/busybox --install -s /bin
            export PATH=/usr/sbin:/usr/bin:/sbin:/bin
            mount -t proc proc /proc
            mount -t sysfs sys /sys
            mount -t devtmpfs dev /dev
            mkdir -p /dev/pts /dev/shm
            mount -t devpts devpts /dev/pts
            mount -t tmpfs tmp /tmp
            mount -t tmpfs run /run
            mkdir -p /run/sshd /run/xen /run/lock /run/vmlat
            for m in /lib/vmlat/*.ko; do insmod $m || echo "VMLAT-DOM0-ERROR insmod $m"; done
            mount -t xenfs xenfs /proc/xen
            XEN=$(ls -d /usr/lib/xen-*)
            $XEN/bin/xenstored --pid-file /run/xenstored.pid || echo "VMLAT-DOM0-ERROR xenstored"
            $XEN/bin/xen-init-dom0 || echo "VMLAT-DOM0-ERROR xen-init-dom0"
            $XEN/bin/xenconsoled --log=none || echo "VMLAT-DOM0-ERROR xenconsoled"
            ip link set lo up
            ip link set eth0 up
            ip addr add 10.0.2.15/24 dev eth0
            ip route add default via 10.0.2.2
            /usr/sbin/sshd -E /var/log/sshd.log || echo "VMLAT-DOM0-ERROR sshd"
            echo "VMLAT-DOM0-READY $(cat /proc/xen/capabilities)"
            while true; do sleep 3600; done
            """;

    private void writeInitramfs(Path target, Path root, String release, SshKeys keys) throws IOException {
        Path xenLib;
        try (Stream<Path> s = Files.list(root.resolve("usr/lib"))) {
            xenLib = s.filter(p -> p.getFileName().toString().matches("xen-\\d+\\.\\d+")).findFirst()
                    .orElseThrow(() -> new ProbeException("xen-utils holds no usr/lib/xen-X.Y"));
        }
        String ldPath = String.join(":", root.resolve("usr/lib/x86_64-linux-gnu").toString(), root.resolve("lib/x86_64-linux-gnu").toString(),
                xenLib.resolve("lib").toString(), root.resolve("usr/lib").toString());
        InitramfsImage img = new InitramfsImage(guests.busybox(), INIT);
        for (String d : List.of("var/log/xen", "var/lib", "var/lib/xen", "var/lib/xenstored", "var/lib/vmlat", "lib/vmlat")) img.directory(d, 0755);
        img.tree(root, xenLib).tree(root, root.resolve("etc/xen"));
        for (String b : List.of("xl", "xenstored", "xenconsoled", "xen-init-dom0")) img.link("usr/sbin/" + b, "/" + root.relativize(xenLib) + "/bin/" + b);
        for (String b : List.of("bin/xl", "bin/xenstored", "bin/xenconsoled", "bin/xen-init-dom0", "bin/libxl-save-helper")) {
            img.libraries(xenLib.resolve(b), root, ldPath);
        }
        img.executable("usr/libexec/xen-qemu-system-i386", root.resolve("usr/libexec/xen-qemu-system-i386"), root, ldPath);
        img.sshServer(root, ldPath, keys);
        for (String[] t : new String[][] {{"stress-ng", "stress-ng"}, {"hackbench", "rt-tests"}, {"cyclictest", "rt-tests"}, {"chrt", "util-linux"}}) {
            img.tool(t[0], t[1], root, ldPath);
        }
        // xl aborts without libgcc_s ("must be installed for pthread_cancel to work"): it is dlopen()ed, so ldd does not name it
        img.file("lib/x86_64-linux-gnu/libgcc_s.so.1", Path.of("/lib/x86_64-linux-gnu/libgcc_s.so.1"));
        for (String f : List.of("bios-256k.bin", "vgabios-stdvga.bin")) img.hostFile("usr/share/seabios/" + f, "seabios");
        for (String f : List.of("linuxboot.bin", "linuxboot_dma.bin", "kvmvapic.bin", "keymaps/en-us")) img.hostFile("usr/share/qemu/" + f, "qemu-system-data");
        img.link("usr/share/qemu/bios-256k.bin", "../seabios/bios-256k.bin");
        img.link("usr/share/qemu/vgabios-stdvga.bin", "../seabios/vgabios-stdvga.bin");
        img.link("var/run", "/run");
        img.link("var/lock", "/run/lock");
        Path modules = root.resolve("lib/modules/" + release + "/kernel");
        for (String m : MODULES) img.module(modules.resolve(m));
        img.emulated("QEMU full emulation (TCG), booted by vmlat xen up");
        img.write(target, 6);
    }
}
