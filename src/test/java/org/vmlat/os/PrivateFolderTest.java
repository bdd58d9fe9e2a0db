package org.vmlat.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFolderTest {
    @Test
    void onlyFoldersOfDeadOwnersAreRemoved(@TempDir Path root) throws Exception {
        Process p = new ProcessBuilder("sleep", "0.3").start();
        ProcessIdentity dead = ProcessIdentity.of(p.pid()).orElseThrow();
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        ProcessIdentity recycled = new ProcessIdentity(ProcessIdentity.self().pid(), ProcessIdentity.self().startTicks() + 1);
        for (ProcessIdentity id : new ProcessIdentity[] {dead, recycled, ProcessIdentity.self()}) {
            Files.createDirectories(root.resolve(id.toString()).resolve("guest-1"));
            Files.writeString(root.resolve(id.toString()).resolve("load-1.log"), "x");
        }
        Files.createDirectories(root.resolve("not-a-vmlat"));

        assertThat(PrivateFolder.reapDead(root)).containsExactlyInAnyOrder(root.resolve(dead.toString()), root.resolve(recycled.toString()));
        try (var left = Files.list(root)) {
            assertThat(left.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder(ProcessIdentity.self().toString(), "not-a-vmlat");
        }
    }

    @Test
    void fallbackFoldersInASharedTemporaryFolderAreReapedByTheirPrefixOnly(@TempDir Path root) throws Exception {
        Process p = new ProcessBuilder("sleep", "0.2").start();
        ProcessIdentity dead = ProcessIdentity.of(p.pid()).orElseThrow();
        p.waitFor();
        Files.createDirectories(root.resolve("vmlat-" + dead).resolve("x"));
        Files.createDirectories(root.resolve("other-" + dead));
        Files.createDirectories(root.resolve("vmlat-" + ProcessIdentity.self()));
        Files.writeString(root.resolve("vmlat-load-123.log"), "x");
        assertThat(PrivateFolder.reapDead(root, "vmlat-")).containsExactly(root.resolve("vmlat-" + dead));
        try (var left = Files.list(root)) {
            assertThat(left.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("other-" + dead,
                    "vmlat-" + ProcessIdentity.self(), "vmlat-load-123.log");
        }
    }

    @Test
    void identitiesRoundTripAndRejectForeignNames() {
        ProcessIdentity self = ProcessIdentity.self();
        assertThat(ProcessIdentity.parse(self.toString())).contains(self);
        assertThat(self.isAlive()).isTrue();
        assertThat(ProcessIdentity.parse("12")).isEmpty();
        assertThat(ProcessIdentity.parse("a-1")).isEmpty();
        assertThat(ProcessIdentity.parse("0-5")).isEmpty();
    }
}
