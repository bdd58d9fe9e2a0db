package org.vmlat.targets.kvm.emulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmlat.targets.emulated.SshKeys;

class EmulatedKvmTest {
    @Test
    void theOuterQemuEmulatesSvmWithoutSmapAndForwardsSsh() {
        KvmHostImageBuilder.HostImage img = new KvmHostImageBuilder.HostImage(Path.of("/c/vmlinux"), Path.of("/c/host.cpio.gz"),
                SshKeys.existing(Path.of("/c/keys")), "linux-image-a", "linux-image-a", "linux-image-rt-a");
        String c = String.join(" ", EmulatedKvm.command(img, 2222, 3072, 2));
        assertThat(c).startsWith("qemu-system-x86_64 -accel tcg,thread=multi -cpu max,-smap -smp 2 -m 3072 -nodefaults")
                .contains("-kernel /c/vmlinux -initrd /c/host.cpio.gz", "hostfwd=tcp:127.0.0.1:2222-:22", "e1000");
    }

    @Test
    void anInnerGuestRunsWithKvmFromTheHostsImageUnderBusyboxTimeout() {
        String c = EmulatedKvm.innerGuestCommand("rt", List.of("-m", "-p90", "-i1000"), "/tmp/r.txt", 120);
        // the host's timeout is busybox's: it knows -s, not --signal
        assertThat(c).startsWith("timeout -s KILL 120 qemu-system-x86_64 -accel kvm -cpu host ")
                .contains("-kernel /var/lib/vmlat/guests/rt/vmlinux -initrd /var/lib/vmlat/guests/rt/initrd.gz", "vmlat.args=-m,-p90,-i1000'",
                        "path=/tmp/r.txt ", "name=vmlat", "-serial file:/tmp/r.txt.console");
        assertThatThrownBy(() -> EmulatedKvm.innerGuestCommand("x", List.of(), "/tmp/r", 1)).hasMessageContaining("\"x\" is not nrt or rt");
    }
}
