package org.vmlat.targets.xen.emulated;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.vmlat.os.Executables;
import org.vmlat.os.FileTrees;
import org.vmlat.os.VmlatDirs;
import org.vmlat.probe.ProbeException;
import org.vmlat.targets.image.Commands;
import org.vmlat.targets.image.CpioWriter;
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
    /** Host tools copied into Dom0 with their libraries. */
    static final List<String> TOOLS = List.of("stress-ng", "hackbench", "cyclictest", "chrt");

    /** What the emulated machine boots, and the keys to reach it. */
    public record Dom0Image(Path hypervisor, Path kernel, Path initrd, Path identity, Path knownHostKey, String xenPackage, String kernelPackage) {}

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
            Files.createDirectories(debs);
            List<String> pkgs = new ArrayList<>(PACKAGES);
            pkgs.add(kernelPkg);
            progress.accept("downloading Xen 4.17, qemu-system-xen, openssh-server and " + kernelPkg + " (apt-get download, not installed)");
            List<String> cmd = new ArrayList<>(List.of("apt-get", "download"));
            cmd.addAll(pkgs);
            try {
                Commands.run(cmd, debs, 900);
            } catch (ProbeException e) {
                Commands.run(List.of("apt-get", "update", "-qq"), null, 600);
                Commands.run(cmd, debs, 900);
            }
            try (Stream<Path> s = Files.list(debs)) {
                for (Path deb : (Iterable<Path>) s.sorted()::iterator) Commands.run(List.of("dpkg", "-x", deb.toString(), root.toString()), null, 300);
            }
            Files.createDirectories(dir);
            Path xenGz = only(root.resolve("boot"), "xen-", "-amd64.gz");
            Path hypervisor = dir.resolve("xen.elf");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(xenGz))) {
                Files.copy(in, hypervisor, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Path vmlinuz = only(root.resolve("boot"), "vmlinuz-", "");
            String release = vmlinuz.getFileName().toString().substring("vmlinuz-".length());
            Files.copy(vmlinuz, dir.resolve("vmlinuz"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path keys = dir.resolve("keys");
            Files.createDirectories(keys);
            keygen(keys.resolve("ssh_host_ed25519_key"), "vmlat-emulated-dom0");
            keygen(keys.resolve("id_ed25519"), "vmlat");
            progress.accept("packing the Dom0 initramfs (xl toolstack, sshd, qemu-system-xen, stress-ng)");
            writeInitramfs(dir.resolve("dom0.cpio.gz"), root, release, keys);
            String[] deb = only(debs, "xen-hypervisor-", ".deb").getFileName().toString().replace("%3a", ":").split("_");
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
        return new Dom0Image(dir.resolve("xen.elf"), dir.resolve("vmlinuz"), dir.resolve("dom0.cpio.gz"), dir.resolve("keys/id_ed25519"),
                dir.resolve("keys/ssh_host_ed25519_key.pub"), p.getProperty("xen_package"), p.getProperty("kernel_package"));
    }

    private static void keygen(Path key, String comment) {
        if (Files.exists(key)) return;
        Commands.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key.toString()), null, 60);
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

    static final String SSHD_CONFIG = """
            Port 22
            HostKey /etc/ssh/ssh_host_ed25519_key
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            PidFile /run/sshd.pid
            """;

    private void writeInitramfs(Path target, Path root, String release, Path keys) throws IOException {
        Path xenLib;
        try (Stream<Path> s = Files.list(root.resolve("usr/lib"))) {
            xenLib = s.filter(p -> p.getFileName().toString().matches("xen-\\d+\\.\\d+")).findFirst()
                    .orElseThrow(() -> new ProbeException("xen-utils holds no usr/lib/xen-X.Y"));
        }
        // path in the image -> source file; a TreeMap so that parents come before children
        TreeMap<String, Path> files = new TreeMap<>();
        TreeMap<String, String> links = new TreeMap<>();
        addTree(root, xenLib, files, links);
        addTree(root, root.resolve("etc/xen"), files, links);
        files.put("usr/sbin/sshd", root.resolve("usr/sbin/sshd"));
        files.put("usr/libexec/xen-qemu-system-i386", root.resolve("usr/libexec/xen-qemu-system-i386"));
        for (String b : List.of("xl", "xenstored", "xenconsoled", "xen-init-dom0")) links.put("usr/sbin/" + b, "/" + root.relativize(xenLib) + "/bin/" + b);
        for (String t : TOOLS) {
            Path p = Executables.which(t)
                    .orElseThrow(() -> new ProbeException(t + " is needed in the emulated Dom0: apt-get install rt-tests stress-ng util-linux"));
            files.put("usr/bin/" + t, p);
        }
        List<Path> binaries = new ArrayList<>();
        for (String b : List.of("bin/xl", "bin/xenstored", "bin/xenconsoled", "bin/xen-init-dom0", "bin/libxl-save-helper")) binaries.add(xenLib.resolve(b));
        binaries.add(root.resolve("usr/sbin/sshd"));
        binaries.add(root.resolve("usr/libexec/xen-qemu-system-i386"));
        for (String t : TOOLS) binaries.add(Executables.which(t).orElseThrow());
        String ldPath = String.join(":", root.resolve("usr/lib/x86_64-linux-gnu").toString(), root.resolve("lib/x86_64-linux-gnu").toString(),
                xenLib.resolve("lib").toString(), root.resolve("usr/lib").toString());
        for (Path b : binaries) {
            for (String lib : GuestImageBuilder.libraries(b, ldPath)) {
                Path src = Path.of(lib);
                String in = src.startsWith(root) ? root.relativize(src).toString() : lib.substring(1);
                files.put(in, src);
            }
        }
        // xl aborts without libgcc_s ("must be installed for pthread_cancel to work"): it is dlopen()ed, so ldd does not name it
        files.put("lib/x86_64-linux-gnu/libgcc_s.so.1", Path.of("/lib/x86_64-linux-gnu/libgcc_s.so.1"));
        for (String f : List.of("bios-256k.bin", "vgabios-stdvga.bin")) files.put("usr/share/seabios/" + f, hostFile("/usr/share/seabios/" + f, "seabios"));
        for (String f : List.of("linuxboot.bin", "linuxboot_dma.bin", "kvmvapic.bin")) files.put("usr/share/qemu/" + f, hostFile("/usr/share/qemu/" + f, "qemu-system-data"));
        files.put("usr/share/qemu/keymaps/en-us", hostFile("/usr/share/qemu/keymaps/en-us", "qemu-system-data"));
        links.put("usr/share/qemu/bios-256k.bin", "../seabios/bios-256k.bin");
        links.put("usr/share/qemu/vgabios-stdvga.bin", "../seabios/vgabios-stdvga.bin");
        links.put("var/run", "/run");
        links.put("var/lock", "/run/lock");

        Path busybox = guests.busybox();
        Path modules = root.resolve("lib/modules/" + release + "/kernel");
        try (CpioWriter cpio = new CpioWriter(new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(target)), 1 << 16))) {
            Set<String> dirs = new LinkedHashSet<>(List.of("bin", "sbin", "dev", "proc", "sys", "tmp", "run", "usr", "usr/bin", "usr/sbin", "etc",
                    "etc/ssh", "root", "root/.ssh", "var", "var/log", "var/log/xen", "var/lib", "var/lib/xen", "var/lib/xenstored", "var/lib/vmlat",
                    "lib", "lib/vmlat", "lib64"));
            for (String f : new ArrayList<>(files.keySet()) {{ addAll(links.keySet()); }}) {
                Path parent = Path.of(f).getParent();
                while (parent != null) {
                    dirs.add(parent.toString());
                    parent = parent.getParent();
                }
            }
            List<String> sorted = new ArrayList<>(dirs);
            sorted.sort(null);
            for (String d : sorted) cpio.directory(d, d.equals("root") || d.equals("root/.ssh") ? 0700 : 0755);
            cpio.file("bin/busybox", 0755, Files.readAllBytes(busybox));
            cpio.file("init", 0755, INIT.getBytes(StandardCharsets.UTF_8));
            for (var e : files.entrySet()) {
                // libraries and the dynamic loader must be executable, or exec fails with "Permission denied"
                cpio.file(e.getKey(), 0755, Files.readAllBytes(e.getValue().toRealPath()));
            }
            for (var e : links.entrySet()) cpio.symlink(e.getKey(), e.getValue());
            for (int i = 0; i < MODULES.size(); i++) {
                Path ko = modules.resolve(MODULES.get(i));
                if (!Files.exists(ko)) throw new ProbeException("the Dom0 kernel has no " + MODULES.get(i));
                cpio.file(String.format("lib/vmlat/%02d-%s", i, ko.getFileName()), 0644, Files.readAllBytes(ko));
            }
            cpio.file("etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\nsshd:x:100:65534::/run/sshd:/bin/false\n".getBytes(StandardCharsets.UTF_8));
            cpio.file("etc/group", 0644, "root:x:0:\nnogroup:x:65534:\n".getBytes(StandardCharsets.UTF_8));
            cpio.file("etc/shadow", 0600, "root:*:19000:0:99999:7:::\n".getBytes(StandardCharsets.UTF_8));
            cpio.file("etc/ssh/sshd_config", 0644, SSHD_CONFIG.getBytes(StandardCharsets.UTF_8));
            cpio.file("etc/ssh/ssh_host_ed25519_key", 0600, Files.readAllBytes(keys.resolve("ssh_host_ed25519_key")));
            cpio.file("root/.ssh/authorized_keys", 0600, Files.readAllBytes(keys.resolve("id_ed25519.pub")));
            cpio.file("etc/vmlat-emulated", 0644, "QEMU full emulation (TCG), booted by vmlat xen up\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Path hostFile(String path, String pkg) {
        Path p = Path.of(path);
        if (!Files.exists(p)) throw new ProbeException(path + " is missing: apt-get install " + pkg);
        return p;
    }

    /** Every file and symlink under {@code dir}, by its path relative to {@code root}. */
    private static void addTree(Path root, Path dir, TreeMap<String, Path> files, TreeMap<String, String> links) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) links.put(rel, Files.readSymbolicLink(p).toString());
                else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) files.put(rel, p);
            }
        }
    }

    private static Path only(Path dir, String prefix, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(suffix)).findFirst()
                    .orElseThrow(() -> new ProbeException("no " + prefix + "*" + suffix + " in " + dir));
        }
    }
}
