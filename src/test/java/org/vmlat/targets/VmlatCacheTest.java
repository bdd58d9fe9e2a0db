package org.vmlat.targets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.load.LoadProcess;
import org.vmlat.load.LoadSpec;
import org.vmlat.load.Placement;
import org.vmlat.os.ProcessIdentity;

/** Real processes stand for a running guest and another vmlat; the folders are a temporary copy of the cache's layout. */
class VmlatCacheTest {
    static final String BOOT = "cad3406b-1ef1-4dff-9e08-c9d7a8c3b53b";
    static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @TempDir
    Path dir;

    Path cache() {
        return dir.resolve("cache");
    }

    VmlatCache fixture() {
        return new VmlatCache(cache(), dir.resolve("state/guest-consoles"), dir.resolve("state/loads"), dir.resolve("state/tmp"), BOOT);
    }

    void file(String relative, int bytes, Duration age) throws Exception {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[bytes]);
        // the file and the folders above it: an entry's age is that of its newest file or folder
        for (Path q = p; !q.equals(dir); q = q.getParent()) Files.setLastModifiedTime(q, FileTime.from(NOW.minus(age)));
    }

    void layout() throws Exception {
        file("cache/guests/linux-image-6.1.0-57-amd64/image.properties", 100, Duration.ofDays(10));
        file("cache/guests/linux-image-6.1.0-57-amd64/initrd.gz", 5000, Duration.ofDays(10));
        file("cache/guests/linux-image-6.1.0-57-rt-amd64/image.properties", 100, Duration.ofDays(10));
        file("cache/guests/busybox-static/busybox", 2000, Duration.ofDays(1));
        file("cache/guests/build-4242/linux.deb", 3000, Duration.ofDays(2));
        file("cache/guests/accel-" + BOOT, 4, Duration.ofDays(1));
        file("cache/guests/accel-00000000-old-boot", 4, Duration.ofDays(1));
        file("cache/kvm/host-linux-image-6.1.0-57-amd64/disk.img", 7000, Duration.ofDays(9));
        file("state/guest-consoles/vmlat-vm-1-4.log", 300, Duration.ofDays(8));
        file("state/guest-consoles/vmlat-vm-2-4.log", 300, Duration.ofHours(1));
    }

    static List<String> names(List<VmlatCache.Entry> entries) {
        return entries.stream().map(e -> e.path().getFileName().toString()).toList();
    }

    @Test
    void listsEveryEntryWithKindSizeAndAge() throws Exception {
        layout();
        List<VmlatCache.Entry> all = fixture().list();
        assertThat(all).extracting(e -> e.path().getFileName() + " " + e.kind() + " " + e.bytes() + " " + Duration.between(e.modified(), NOW).toHours() + "h")
                .containsExactly("accel-00000000-old-boot KVM answer 4 24h", "accel-" + BOOT + " KVM answer 4 24h", "build-4242 build leftover 3000 48h",
                        "busybox-static guest package 2000 24h", "linux-image-6.1.0-57-amd64 guest image 5100 240h", "linux-image-6.1.0-57-rt-amd64 guest image 100 240h",
                        "host-linux-image-6.1.0-57-amd64 KVM host image 7000 216h", "vmlat-vm-1-4.log guest console 300 192h", "vmlat-vm-2-4.log guest console 300 1h");
    }

    @Test
    void cleanWithoutOptionsRemovesOnlyLeftovers() throws Exception {
        layout();
        VmlatCache.Cleaned done = fixture().clean(new VmlatCache.Sweep(false, Optional.empty()), false, NOW);
        System.out.println("removed " + done.removed().size() + ", kept " + done.kept().size());
        assertThat(names(done.removed())).containsExactlyInAnyOrder("build-4242", "accel-00000000-old-boot");
        assertThat(cache().resolve("guests/build-4242")).doesNotExist();
        assertThat(cache().resolve("guests/accel-" + BOOT)).exists();
        assertThat(fixture().list()).hasSize(7);
    }

    @Test
    void olderThanSparesWhatARunningGuestNamesAndDryRunDeletesNothing() throws Exception {
        layout();
        Path image = cache().resolve("guests/linux-image-6.1.0-57-amd64");
        Path state = dir.resolve("state/loads");
        List<String> guest = List.of("sh", "-c", "sleep 30 # -kernel " + image.resolve("vmlinux"));
        try (LoadProcess running = LoadProcess.start(new LoadSpec("guest", "", guest, 1, Placement.HOST), guest, state)) {
            // the guest's record and process come up asynchronously: wait until vmlat itself sees it running (one suite
            // run cleaned 14 ms after the start and did not see it yet)
            long deadline = System.currentTimeMillis() + 10_000;
            while (org.vmlat.load.LeftoverReaper.running(state).stream().noneMatch(g -> g.description().contains(image.toString()))
                    && System.currentTimeMillis() < deadline) Thread.sleep(50);
            VmlatCache.Cleaned dry = fixture().clean(new VmlatCache.Sweep(false, Optional.of(Duration.ofDays(7))), true, NOW);
            assertThat(names(dry.removed())).containsExactlyInAnyOrder("build-4242", "accel-00000000-old-boot",
                    "linux-image-6.1.0-57-rt-amd64", "host-linux-image-6.1.0-57-amd64", "vmlat-vm-1-4.log");
            assertThat(fixture().list()).as("a dry run deletes nothing").hasSize(9);
            VmlatCache.Cleaned done = fixture().clean(new VmlatCache.Sweep(false, Optional.of(Duration.ofDays(7))), false, NOW);
            System.out.println("older than 7d: removed " + done.removed().size() + ", kept " + done.kept().size());
            assertThat(names(done.removed())).isEqualTo(names(dry.removed()));
            VmlatCache.Entry used = done.kept().stream().filter(e -> e.path().equals(image)).findFirst().orElseThrow();
            assertThat(used.usedBy()).contains("running guest, process group " + running.pid());
            assertThat(image).exists();
        }
    }

    @Test
    void allKeepsImagesWhileAnotherVmlatRuns() throws Exception {
        layout();
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            ProcessIdentity id = ProcessIdentity.of(other.pid()).orElseThrow();
            Files.createDirectories(dir.resolve("state/tmp/" + id));
            VmlatCache.Cleaned done = fixture().clean(new VmlatCache.Sweep(true, Optional.empty()), false, NOW);
            System.out.println("--all beside a running vmlat: removed " + done.removed().size() + ", kept " + done.kept().size());
            assertThat(names(done.removed())).containsExactlyInAnyOrder("accel-00000000-old-boot", "accel-" + BOOT, "vmlat-vm-1-4.log", "vmlat-vm-2-4.log");
            assertThat(done.kept()).allSatisfy(e -> assertThat(e.usedBy()).contains("vmlat pid " + other.pid() + " is running and may boot guests from it"));
        } finally {
            other.destroy();
            other.waitFor();
        }
        VmlatCache.Cleaned after = fixture().clean(new VmlatCache.Sweep(true, Optional.empty()), false, NOW);
        assertThat(after.removed()).hasSize(5);
        assertThat(after.kept()).isEmpty();
    }
}
