package org.vmlat.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.os.ProcessGroups;
import org.vmlat.os.ProcessIdentity;

/** Real process groups recorded in a state folder: only those of dead owners are ended. */
class LeftoverReaperTest {
    /** A process group as an older or parent-death-less vmlat left it: setsid, no supervisor. */
    static Process group() throws Exception {
        return new ProcessBuilder("setsid", "sh", "-c", "sleep 60 & sleep 60 & wait").start();
    }

    static ProcessIdentity deadVmlat() throws Exception {
        Process p = new ProcessBuilder("sleep", "0.2").start();
        ProcessIdentity id = ProcessIdentity.of(p.pid()).orElseThrow();
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        return id;
    }

    @Test
    void aLiveOwnersLoadIsNeverTouchedAndADeadOnesIsEnded(@TempDir Path state) throws Exception {
        Process live = group(), orphan = group(), legacy = group();
        try {
            Thread.sleep(300);
            new LoadRecord(Optional.of(ProcessIdentity.self()), ProcessIdentity.of(live.pid()).orElseThrow(), "live").write(state);
            new LoadRecord(Optional.of(deadVmlat()), ProcessIdentity.of(orphan.pid()).orElseThrow(), "orphan").write(state);
            // an older vmlat's record: leader start time, then the command
            Files.writeString(state.resolve(Long.toString(legacy.pid())), ProcessGroups.startTime(legacy.pid()) + "\nlegacy\n");
            // a recorded group whose id now belongs to another process (pid reused): same pid, other start time
            Process reused = group();
            new LoadRecord(Optional.of(deadVmlat()), new ProcessIdentity(reused.pid(), ProcessGroups.startTime(reused.pid()) + 7), "old").write(state);

            LeftoverReaper.Outcome o = LeftoverReaper.reap(state);

            assertThat(o.ended()).hasSize(2).anySatisfy(e -> assertThat(e).contains("(orphan) of vmlat pid"))
                    .anySatisfy(e -> assertThat(e).contains("(legacy)"));
            assertThat(o.stillRunning()).isEmpty();
            assertThat(ProcessGroups.members(live.pid())).as("live owner's load").isEqualTo(3);
            assertThat(ProcessGroups.members(orphan.pid())).isZero();
            assertThat(ProcessGroups.members(legacy.pid())).isZero();
            assertThat(ProcessGroups.members(reused.pid())).as("a recycled group id is not hit").isEqualTo(3);
            try (var left = Files.list(state)) {
                assertThat(left.map(f -> f.getFileName().toString())).containsExactly(Long.toString(live.pid()));
            }
            System.out.println("LeftoverReaperTest: ended " + o.ended().size() + " groups of dead owners, kept "
                    + ProcessGroups.members(live.pid()) + " processes of the live owner's load and " + ProcessGroups.members(reused.pid())
                    + " of a recycled id");
            ProcessGroups.signal(reused.pid(), ProcessGroups.SIGKILL);
        } finally {
            for (Process p : List.of(live, orphan, legacy)) ProcessGroups.signal(p.pid(), ProcessGroups.SIGKILL);
        }
    }

    @Test
    void recordsRoundTripAndForeignFilesAreIgnored(@TempDir Path state) throws Exception {
        LoadRecord r = new LoadRecord(Optional.of(new ProcessIdentity(42, 1000)), new ProcessIdentity(4242, 1001), "stress-ng --cpu 2");
        Path f = r.write(state);
        assertThat(f.getFileName().toString()).isEqualTo("4242");
        assertThat(Files.readString(f)).isEqualTo("owner=42-1000\nleader=4242-1001\ncommand=stress-ng --cpu 2\n");
        assertThat(LoadRecord.read(f)).contains(r);
        Files.writeString(state.resolve("notes"), "x");
        Files.writeString(state.resolve("77"), "leader=78-1\n"); // the leader must be the group the file names
        assertThat(LoadRecord.read(state.resolve("notes"))).isEmpty();
        assertThat(LoadRecord.read(state.resolve("77"))).isEmpty();
    }
}
