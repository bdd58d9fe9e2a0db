package org.vmlat.cli;

import java.io.PrintWriter;
import org.vmlat.load.LeftoverReaper;

/**
 * What every measuring command does first: end the loads and guests of vmlat processes that died
 * and say so, and refuse to measure while one of them still runs (its figures would be wrong).
 * Loads of a vmlat that is still running are never touched.
 */
final class Leftovers {
    private Leftovers() {}

    static void endOrRefuse(PrintWriter err) {
        LeftoverReaper.Outcome o = LeftoverReaper.reap(LeftoverReaper.defaultStateDir());
        for (String ended : o.ended()) err.println("vmlat: ended a load left by a vmlat that died: " + ended);
        err.flush();
        if (!o.stillRunning().isEmpty()) {
            throw new VmlatException(ExitCodes.ENVIRONMENT, "a load left by a vmlat that died is still running and could not be ended: "
                    + String.join("; ", o.stillRunning()) + "; end it (kill -KILL -PGID) before measuring");
        }
    }
}
