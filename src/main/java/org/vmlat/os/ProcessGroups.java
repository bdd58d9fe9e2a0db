package org.vmlat.os;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Signals to whole process groups and facts about processes, from /proc. */
public final class ProcessGroups {
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    private ProcessGroups() {}

    /** kill(-pgid, sig); a group that no longer exists is not an error. */
    public static void signal(long pgid, int sig) {
        if (pgid <= 1) throw new IllegalArgumentException("refusing to signal process group " + pgid);
        LibC.kill((int) -pgid, sig);
    }

    /** The process's start time in clock ticks since boot (field 22 of /proc/PID/stat), or -1 if it does not exist. */
    public static long startTime(long pid) {
        String[] f = stat(pid);
        return f == null ? -1 : Long.parseLong(f[22 - 3]);
    }

    /** The parent pid (field 4 of /proc/PID/stat), or -1 if the process does not exist. */
    public static long parentOf(long pid) {
        String[] f = stat(pid);
        return f == null ? -1 : Long.parseLong(f[4 - 3]);
    }

    /** Whether any process still belongs to session {@code sid}. */
    public static boolean sessionHasMembers(long sid) {
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                String[] f = stat(Long.parseLong(p.getFileName().toString()));
                if (f != null && Long.parseLong(f[6 - 3]) == sid) return true;
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    /** Number of processes in process group {@code pgid}. */
    public static int members(long pgid) {
        int n = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                String[] f = stat(Long.parseLong(p.getFileName().toString()));
                if (f != null && Long.parseLong(f[5 - 3]) == pgid && !"Z".equals(f[0])) n++;
            }
        } catch (IOException | NumberFormatException e) {
            return n;
        }
        return n;
    }

    /** Fields of /proc/PID/stat from field 3 (state) on, or null. */
    private static String[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
