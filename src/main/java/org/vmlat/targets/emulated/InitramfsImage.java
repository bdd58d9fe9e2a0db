package org.vmlat.targets.emulated;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.vmlat.os.Executables;
import org.vmlat.probe.ProbeException;
import org.vmlat.targets.image.CpioWriter;
import org.vmlat.targets.image.GuestImageBuilder;

/**
 * The root file system of an emulated machine, collected path by path and written as a gzipped
 * initramfs: busybox and /init, binaries with the libraries {@code ldd} names, files of unpacked
 * packages and of this machine, kernel modules in insmod order, and an sshd reachable with
 * {@link SshKeys}. Directories are created for every parent; entries are written sorted, so
 * parents come before children and the same input gives the same archive.
 */
public final class InitramfsImage {
    private record Entry(Path source, byte[] data, int mode) {}

    /** A minimal sshd: keys only, root by key. */
    static final String SSHD_CONFIG = """
            Port 22
            HostKey /etc/ssh/ssh_host_ed25519_key
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            PidFile /run/sshd.pid
            """;

    private final TreeMap<String, Integer> dirs = new TreeMap<>();
    private final TreeMap<String, Entry> files = new TreeMap<>();
    private final TreeMap<String, String> links = new TreeMap<>();
    private int modules;

    /** busybox-static as /bin/busybox and {@code init} as /init (it runs {@code busybox --install}). */
    public InitramfsImage(Path busybox, String init) {
        file("bin/busybox", busybox);
        text("init", 0755, init);
        for (String d : List.of("bin", "sbin", "dev", "proc", "sys", "tmp", "run", "usr", "usr/bin", "usr/sbin", "etc", "var", "var/log", "lib", "lib64")) {
            directory(d, 0755);
        }
    }

    public InitramfsImage directory(String path, int mode) {
        dirs.put(path, mode);
        return this;
    }

    /**
     * A file copied from this machine or an unpacked package, executable: libraries and the
     * dynamic loader must be, or exec fails with "Permission denied".
     */
    public InitramfsImage file(String path, Path source) {
        return file(path, source, 0755);
    }

    public InitramfsImage file(String path, Path source, int mode) {
        files.put(path, new Entry(source, null, mode));
        return this;
    }

    public InitramfsImage text(String path, int mode, String content) {
        return bytes(path, mode, content.getBytes(StandardCharsets.UTF_8));
    }

    public InitramfsImage bytes(String path, int mode, byte[] content) {
        files.put(path, new Entry(null, content, mode));
        return this;
    }

    public InitramfsImage link(String path, String target) {
        links.put(path, target);
        return this;
    }

    /** A file this machine must have (a firmware, a ROM), with the package to install when it is missing. */
    public InitramfsImage hostFile(String path, String pkg) {
        Path p = Path.of("/" + path);
        if (!Files.exists(p)) throw new ProbeException(p + " is missing: apt-get install " + pkg);
        return file(path, p);
    }

    /**
     * A binary at {@code path} and the libraries ldd resolves for it, with {@code ldPath} (the
     * unpacked packages' library directories, or null) searched first; a library under
     * {@code root} keeps its path relative to it, one of this machine its own path.
     */
    public InitramfsImage executable(String path, Path binary, Path root, String ldPath) {
        file(path, binary);
        return libraries(binary, root, ldPath);
    }

    public InitramfsImage libraries(Path binary, Path root, String ldPath) {
        for (String lib : GuestImageBuilder.libraries(binary, ldPath)) {
            Path src = Path.of(lib);
            file(root != null && src.startsWith(root) ? root.relativize(src).toString() : lib.substring(1), src);
        }
        return this;
    }

    /** A host tool from PATH with its libraries, as /usr/bin/NAME. */
    public InitramfsImage tool(String name, String pkg) {
        return tool(name, pkg, null, null);
    }

    /** A host tool from PATH, its libraries searched in {@code ldPath} first (see {@link #libraries}). */
    public InitramfsImage tool(String name, String pkg, Path root, String ldPath) {
        Path p = Executables.which(name)
                .orElseThrow(() -> new ProbeException(name + " is needed in the emulated machine: apt-get install " + pkg));
        return executable("usr/bin/" + name, p, root, ldPath);
    }

    /** Every file and symlink under {@code dir}, by its path relative to {@code root}. */
    public InitramfsImage tree(Path root, Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) link(rel, Files.readSymbolicLink(p).toString());
                else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) file(rel, p);
            }
        }
        return this;
    }

    /** The next kernel module, as /lib/vmlat/NN-name.ko: /init loads them with insmod in this order. */
    public InitramfsImage module(Path ko) {
        if (!Files.exists(ko)) throw new ProbeException("the kernel has no module " + ko.getFileName() + " (" + ko + ")");
        return file(String.format("lib/vmlat/%02d-%s", modules++, ko.getFileName()), ko, 0644);
    }

    /** OpenSSH's sshd (from {@code root}) for root with {@code keys}, and the users it needs. */
    public InitramfsImage sshServer(Path root, String ldPath, SshKeys keys) throws IOException {
        directory("root", 0700).directory("root/.ssh", 0700).directory("etc/ssh", 0755);
        executable("usr/sbin/sshd", root.resolve("usr/sbin/sshd"), root, ldPath);
        text("etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\nsshd:x:100:65534::/run/sshd:/bin/false\n");
        text("etc/group", 0644, "root:x:0:\nnogroup:x:65534:\n");
        text("etc/shadow", 0600, "root:*:19000:0:99999:7:::\n");
        text("etc/ssh/sshd_config", 0644, SSHD_CONFIG);
        bytes("etc/ssh/ssh_host_ed25519_key", 0600, Files.readAllBytes(keys.hostKey()));
        return bytes("root/.ssh/authorized_keys", 0600, Files.readAllBytes(keys.authorizedKey()));
    }

    /**
     * /etc/vmlat-emulated: whoever reaches the machine (a plan's target, by any route) reads it
     * and marks every figure measured there as emulated.
     */
    public InitramfsImage emulated(String how) {
        return text("etc/vmlat-emulated", 0644, how + "\n");
    }

    /**
     * Writes the gzipped cpio archive.
     *
     * @param gzipLevel 1..9: 1 packs large images (QEMU and guest kernels) several times faster,
     *                  and the emulated kernel unpacks them no slower
     */
    public void write(Path target, int gzipLevel) throws IOException {
        if (gzipLevel < 1 || gzipLevel > 9) throw new IllegalArgumentException("gzipLevel " + gzipLevel + " is not 1..9");
        TreeMap<String, Integer> all = new TreeMap<>(dirs);
        for (String f : files.keySet()) parents(f, all);
        for (String f : links.keySet()) parents(f, all);
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(target));
             CpioWriter cpio = new CpioWriter(new LeveledGzip(raw, gzipLevel))) {
            for (Map.Entry<String, Integer> d : all.entrySet()) cpio.directory(d.getKey(), d.getValue());
            for (Map.Entry<String, Entry> e : files.entrySet()) {
                Entry f = e.getValue();
                cpio.file(e.getKey(), f.mode(), f.data() != null ? f.data() : Files.readAllBytes(f.source().toRealPath()));
            }
            for (Map.Entry<String, String> e : links.entrySet()) cpio.symlink(e.getKey(), e.getValue());
        }
    }

    private static void parents(String path, TreeMap<String, Integer> dirs) {
        Path parent = Path.of(path).getParent();
        while (parent != null) {
            dirs.putIfAbsent(parent.toString(), 0755);
            parent = parent.getParent();
        }
    }

    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(OutputStream out, int level) throws IOException {
            super(out, 1 << 16);
            def.setLevel(level);
        }
    }
}
