package org.vmlat.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vmlat.os.ChildProcesses;
import org.vmlat.os.ProcessGroups;
import org.vmlat.os.ProcessIdentity;
import org.vmlat.os.VmlatDirs;

/**
 * Ends loads and guests left behind by a vmlat that died. Normally the kernel has already ended
 * them (see {@link ChildProcesses}); this is the safety net for systems without a
 * parent-death signal and for the instant between a start and its record.
 *
 * <p>A record is touched only when its owner is dead: a load whose vmlat still runs is never
 * signalled, whoever asks. A group is ended only if it is still the one that was started (its
 * leader has the recorded start time, or the leader is gone but members remain in the session of
 * that id), so a recycled pid is never hit.
 */
public final class LeftoverReaper {
    /** What a reap found: groups ended, and groups of dead owners still running (could not be ended). */
    public record Outcome(List<String> ended, List<String> stillRunning) {
        public Outcome {
            ended = List.copyOf(ended);
            stillRunning = List.copyOf(stillRunning);
        }
    }

    /** A dead owner's load still running: its process group and {@code process group G (COMMAND) of vmlat pid P}. */
    public record Running(long groupId, String description) {}

    private LeftoverReaper() {}

    /** Ends the leftovers of dead owners and removes their records. */
    public static Outcome reap(Path stateDir) {
        List<String> ended = new ArrayList<>();
        List<String> still = new ArrayList<>();
        if (!Files.isDirectory(stateDir)) return new Outcome(ended, still);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(stateDir)) {
            for (Path f : files) {
                Optional<LoadRecord> read;
                try {
                    read = LoadRecord.read(f);
                } catch (IOException | RuntimeException e) {
                    continue; // renamed away by its owner meanwhile, or not ours
                }
                if (read.isEmpty()) continue;
                LoadRecord r = read.get();
                if (r.owner().map(ProcessIdentity::isAlive).orElse(false)) continue; // a live vmlat's: never touched
                long pgid = r.groupId();
                long leaderStart = ProcessGroups.startTime(pgid);
                boolean same = leaderStart >= 0 ? leaderStart == r.leader().startTicks() : ProcessGroups.sessionHasMembers(pgid);
                String what = describe(r);
                if (same) {
                    ProcessGroups.signal(pgid, ProcessGroups.SIGKILL);
                    if (waitEmpty(pgid)) ended.add(what);
                    else still.add(what);
                }
                if (!same || !still.contains(what)) Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // an unreadable state directory leaves nothing to reap
        }
        return new Outcome(ended, still);
    }

    private static boolean waitEmpty(long pgid) {
        for (int i = 0; i < 20; i++) {
            if (ProcessGroups.members(pgid) == 0) return true;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return ProcessGroups.members(pgid) == 0;
    }

    /**
     * The loads and guests of dead owners that are still running, found without touching
     * anything: for commands that only read (doctor, runs), which mention them and leave ending
     * them to a measuring command or to the user.
     *
     * @return one per group
     */
    public static List<Running> find(Path stateDir) {
        List<Running> found = new ArrayList<>();
        for (LoadRecord r : records(stateDir)) {
            if (r.owner().map(ProcessIdentity::isAlive).orElse(false)) continue;
            long pgid = r.groupId();
            long leaderStart = ProcessGroups.startTime(pgid);
            boolean same = leaderStart >= 0 ? leaderStart == r.leader().startTicks() : ProcessGroups.sessionHasMembers(pgid);
            if (same && ProcessGroups.members(pgid) > 0) found.add(new Running(pgid, describe(r)));
        }
        return found;
    }

    /** The readable load records of a state folder; an unreadable folder or file is skipped (nothing to report). */
    private static List<LoadRecord> records(Path stateDir) {
        List<LoadRecord> records = new ArrayList<>();
        if (!Files.isDirectory(stateDir)) return records;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(stateDir)) {
            for (Path f : files) {
                try {
                    LoadRecord.read(f).ifPresent(records::add);
                } catch (IOException | RuntimeException e) {
                    // a record being written or a foreign file
                }
            }
        } catch (IOException e) {
            // an unreadable state directory
        }
        return records;
    }

    /** Every recorded load or guest whose process group still runs, its owner alive or not. */
    public static List<Running> running(Path stateDir) {
        List<Running> found = new ArrayList<>();
        for (LoadRecord r : records(stateDir)) {
            if (ProcessGroups.members(r.groupId()) > 0) found.add(new Running(r.groupId(), describe(r)));
        }
        return found;
    }

    private static String describe(LoadRecord r) {
        return "process group " + r.groupId() + " (" + r.command() + ")" + r.owner().map(o -> " of vmlat pid " + o.pid()).orElse("");
    }

    /** Where the records live: {@code loads/} in the state folder. */
    public static Path defaultStateDir() {
        return VmlatDirs.state("loads");
    }
}
