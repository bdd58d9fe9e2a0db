package org.vmlat.targets.emulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.probe.ProbeException;

class InitramfsImageTest {
    /** One newc entry as the kernel reads it. */
    record Entry(String name, int mode, String data) {}

    /** Reads a gzipped newc archive by the format's definition (110-byte ASCII header, 4-byte alignment). */
    static List<Entry> read(Path file) throws IOException {
        byte[] d;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            d = in.readAllBytes();
        }
        List<Entry> out = new ArrayList<>();
        int i = 0;
        while (true) {
            String h = new String(d, i, 110, StandardCharsets.US_ASCII);
            assertThat(h).startsWith("070701");
            int mode = Integer.parseInt(h.substring(14, 22), 16), size = Integer.parseInt(h.substring(54, 62), 16);
            int nameSize = Integer.parseInt(h.substring(94, 102), 16);
            String name = new String(d, i + 110, nameSize - 1, StandardCharsets.UTF_8);
            int at = (i + 110 + nameSize + 3) & ~3;
            if (name.equals("TRAILER!!!")) return out;
            out.add(new Entry(name, mode, new String(d, at, size, StandardCharsets.UTF_8)));
            i = (at + size + 3) & ~3;
        }
    }

    @Test
    void writesParentsFirstAndEveryEntryWithItsMode(@TempDir Path dir) throws IOException {
        Path busybox = Files.writeString(dir.resolve("busybox"), "BB");
        Path ko1 = Files.writeString(dir.resolve("kvm.ko"), "K1"), ko2 = Files.writeString(dir.resolve("kvm-amd.ko"), "K2");
        Path lib = Files.writeString(dir.resolve("libx.so"), "LIB");
        Path keys = dir.resolve("keys");
        Files.createDirectories(keys);
        Files.writeString(keys.resolve("ssh_host_ed25519_key"), "HOSTKEY");
        Files.writeString(keys.resolve("id_ed25519.pub"), "CLIENTPUB");
        Files.writeString(keys.resolve("id_ed25519"), "CLIENT");
        InitramfsImage img = new InitramfsImage(busybox, "#!/bin/busybox sh\n")
                .file("usr/lib/deep/libx.so", lib).link("var/run", "/run").module(ko1).module(ko2).emulated("by a test");
        Path out = dir.resolve("i.cpio.gz");
        img.write(out, 1);
        List<Entry> e = read(out);
        List<String> names = e.stream().map(Entry::name).toList();
        // every parent comes before what it holds
        for (int i = 0; i < names.size(); i++) {
            Path parent = Path.of(names.get(i)).getParent();
            if (parent != null) assertThat(names.subList(0, i)).as(names.get(i)).contains(parent.toString());
        }
        assertThat(names).contains("usr/lib", "usr/lib/deep", "lib/vmlat");
        assertThat(e).contains(new Entry("init", 0100755, "#!/bin/busybox sh\n"), new Entry("bin/busybox", 0100755, "BB"),
                new Entry("usr/lib/deep/libx.so", 0100755, "LIB"), new Entry("var/run", 0120777, "/run"),
                new Entry("lib/vmlat/00-kvm.ko", 0100644, "K1"), new Entry("lib/vmlat/01-kvm-amd.ko", 0100644, "K2"),
                new Entry("etc/vmlat-emulated", 0100644, "by a test\n"), new Entry("usr/lib/deep", 040755, ""));
        // the same input gives the same archive
        Path again = dir.resolve("j.cpio.gz");
        img.write(again, 1);
        assertThat(read(again)).isEqualTo(e);
    }

    @Test
    void sshServerGetsItsKeysPrivateAndRootsHomeClosed(@TempDir Path dir) throws IOException {
        Path busybox = Files.writeString(dir.resolve("busybox"), "BB");
        Path keys = dir.resolve("keys");
        Files.createDirectories(keys);
        Files.writeString(keys.resolve("ssh_host_ed25519_key"), "HOSTKEY");
        Files.writeString(keys.resolve("id_ed25519.pub"), "CLIENTPUB");
        // sshd from an unpacked package: this machine's /bin/true stands in for it (ldd resolves its libc)
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("usr/sbin"));
        Files.copy(Path.of("/bin/true"), root.resolve("usr/sbin/sshd"));
        InitramfsImage img = new InitramfsImage(busybox, "init").sshServer(root, null, SshKeys.existing(keys));
        Path out = dir.resolve("i.cpio.gz");
        img.write(out, 6);
        List<Entry> e = read(out);
        assertThat(e).contains(new Entry("etc/ssh/ssh_host_ed25519_key", 0100600, "HOSTKEY"), new Entry("root/.ssh/authorized_keys", 0100600, "CLIENTPUB"),
                new Entry("root", 040700, ""), new Entry("root/.ssh", 040700, ""));
        assertThat(e).anySatisfy(x -> assertThat(x.name()).isEqualTo("usr/sbin/sshd"));
        assertThat(e).anySatisfy(x -> assertThat(x.name()).matches("(usr/)?lib(64|/x86_64-linux-gnu)/(libc\\.so\\.6|ld-linux-x86-64\\.so\\.2)"));
        assertThat(e).filteredOn(x -> x.name().equals("etc/ssh/sshd_config")).singleElement()
                .satisfies(x -> assertThat(x.data()).contains("PasswordAuthentication no", "PermitRootLogin prohibit-password"));
    }

    @Test
    void refusesWhatCannotWork(@TempDir Path dir) throws IOException {
        Path busybox = Files.writeString(dir.resolve("busybox"), "BB");
        InitramfsImage img = new InitramfsImage(busybox, "init");
        assertThatThrownBy(() -> img.module(dir.resolve("kvm-amd.ko"))).isInstanceOf(ProbeException.class).hasMessageContaining("kvm-amd.ko");
        assertThatThrownBy(() -> img.hostFile("no/such/rom.bin", "a-package")).hasMessageContaining("apt-get install a-package");
        assertThatThrownBy(() -> img.write(dir.resolve("x"), 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gzipLevel 0");
    }
}
