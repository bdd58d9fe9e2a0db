package org.vmlat.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vmlat.os.ProcessGroups;
import org.vmlat.os.VmlatDirs;

/**
 * Ends loads left behind by a vmlat that was killed (SIGKILL leaves no chance to clean up). Each
 * running load has a pid file named after its process group, holding the group leader's start
 * time; a group is ended only if it is still the one vmlat started (same leader start time, or
 * no leader but members in a session of that id), so a recycled pid is never hit.
 */
public final class LeftoverReaper {
    private LeftoverReaper() {}

    /** @return descriptions of the groups that were ended */
    public static List<String> reap(Path stateDir) {
        List<String> ended = new ArrayList<>();
        if (!Files.isDirectory(stateDir)) return ended;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(stateDir)) {
            for (Path f : files) {
                long pgid;
                try {
                    pgid = Long.parseLong(f.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f);
                long start = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
                String command = lines.size() > 1 ? lines.get(1) : "?";
                long leaderStart = ProcessGroups.startTime(pgid);
                boolean ours = leaderStart >= 0 ? leaderStart == start : ProcessGroups.sessionHasMembers(pgid);
                if (ours) {
                    ProcessGroups.signal(pgid, ProcessGroups.SIGKILL);
                    ended.add("process group " + pgid + " (" + command + ")");
                }
                Files.deleteIfExists(f);
            }
        } catch (IOException | NumberFormatException e) {
            // an unreadable state directory leaves nothing to reap
        }
        return ended;
    }

    /** Where pid files live: vmlat's state folder {@code loads} (see {@link VmlatDirs#state}). */
    public static Path defaultStateDir() {
        return VmlatDirs.state("loads");
    }
}
