package org.vmlat.targets.libvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A libvirtd and virtlogd started by a test without systemd ({@code virtlogd -d; libvirtd -d}),
 * libvirtd with its own configuration whose sockets live in the test's folder, so that no other
 * libvirt client reaches it and it reaches none; its URI names that socket. Stopped by their pids.
 * A virtlogd already running (its socket is fixed at /run/libvirt/virtlogd-sock) is used as it is.
 */
final class LibvirtDaemons implements AutoCloseable {
    final Path dir;
    final String uri;
    private Long libvirtdPid;
    private Long virtlogdPid;

    LibvirtDaemons(Path dir) throws Exception {
        this.dir = dir;
        Path sock = dir.resolve("sock");
        Files.createDirectories(sock);
        Path conf = dir.resolve("libvirtd.conf");
        Files.writeString(conf, "unix_sock_dir = \"" + sock + "\"\nauth_unix_rw = \"none\"\nauth_unix_ro = \"none\"\n");
        this.uri = "qemu:///system?socket=" + sock.resolve("libvirt-sock");
        if (!Files.exists(Path.of("/run/libvirt/virtlogd-sock"))) {
            run("virtlogd", "-d", "-p", dir.resolve("virtlogd.pid").toString());
            virtlogdPid = pid(dir.resolve("virtlogd.pid"));
        }
        run("libvirtd", "-d", "-f", conf.toString(), "-p", dir.resolve("libvirtd.pid").toString());
        libvirtdPid = pid(dir.resolve("libvirtd.pid"));
        long end = System.currentTimeMillis() + 20_000;
        while (true) {
            Process p = new ProcessBuilder("virsh", "-c", uri, "version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() == 0) break;
            if (System.currentTimeMillis() > end) throw new IllegalStateException("libvirtd does not answer on " + uri + ": " + out);
            Thread.sleep(200);
        }
    }

    static void run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(String.join(" ", argv) + ": " + out);
    }

    static String virsh(String uri, String... args) throws IOException, InterruptedException {
        List<String> c = new java.util.ArrayList<>(List.of("virsh", "-q", "-c", uri));
        c.addAll(List.of(args));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(String.join(" ", c) + ": " + out);
        return out;
    }

    private static long pid(Path file) throws Exception {
        long end = System.currentTimeMillis() + 10_000;
        while (!Files.exists(file) || Files.readString(file).isBlank()) {
            if (System.currentTimeMillis() > end) throw new IllegalStateException("no pid file " + file);
            Thread.sleep(50);
        }
        return Long.parseLong(Files.readString(file).strip());
    }

    @Override
    public void close() throws Exception {
        for (Long pid : new Long[] {libvirtdPid, virtlogdPid}) {
            if (pid == null) continue;
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroy();
                try {
                    h.onExit().get(15, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            });
        }
    }
}
