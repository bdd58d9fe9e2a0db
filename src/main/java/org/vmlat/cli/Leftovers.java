package org.vmlat.cli;

import java.io.PrintWriter;
import java.util.List;
import org.vmlat.load.LeftoverReaper;
import org.vmlat.targets.reservation.PendingReservations;

/**
 * What every measuring command does first: end the loads and guests of vmlat processes that died
 * and say so, and refuse to measure while one of them still runs (its figures would be wrong).
 * Loads of a vmlat that is still running are never touched.
 */
final class Leftovers {
    private Leftovers() {}

    /**
     * What read-only commands (doctor, runs) do: say which loads of dead vmlat processes still
     * run, and how they end, without touching them.
     *
     * @return how many there are
     */
    static int mention(PrintWriter err) {
        List<LeftoverReaper.Running> found = LeftoverReaper.find(LeftoverReaper.defaultStateDir());
        for (LeftoverReaper.Running f : found) {
            err.println("vmlat: warning: a load left by a vmlat that died is still running: " + f.description()
                    + "; vmlat measure or vmlat lab run will end it, or end it yourself with kill -KILL -" + f.groupId());
        }
        err.flush();
        return found.size();
    }

    static void endOrRefuse(PrintWriter err) {
        LeftoverReaper.Outcome o = LeftoverReaper.reap(LeftoverReaper.defaultStateDir());
        for (String ended : o.ended()) err.println("vmlat: ended a load left by a vmlat that died: " + ended);
        PendingReservations.Outcome r = PendingReservations.restore();
        for (String restored : r.restored()) err.println("vmlat: restored a reservation left by a vmlat that died: " + restored);
        for (String failed : r.failed()) err.println("vmlat: warning: could not restore a reservation left by a vmlat that died: " + failed);
        if (!r.restored().isEmpty() || !r.failed().isEmpty()) {
            err.println("vmlat: reservations left by vmlat that died: " + r.restored().size() + " restored, " + r.failed().size() + " failed, "
                    + r.kept() + " kept (in force for a running vmlat, or applied by vmlat design --apply)");
        }
        err.flush();
        if (!o.stillRunning().isEmpty()) {
            throw new VmlatException(ExitCodes.ENVIRONMENT, "a load left by a vmlat that died is still running and could not be ended: "
                    + String.join("; ", o.stillRunning()) + "; end it (kill -KILL -PGID) before measuring");
        }
    }
}
