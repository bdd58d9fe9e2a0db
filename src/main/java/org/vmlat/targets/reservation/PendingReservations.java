package org.vmlat.targets.reservation;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vmlat.os.ProcessIdentity;

/**
 * Reservations a vmlat that died left on vCPU threads (or a cpu group it made), undone by the next
 * vmlat before it measures. A record whose owner still runs belongs to a live scenario and is left
 * alone; one without owner was written by {@code vmlat design --apply} and waits for {@code --undo}.
 */
public final class PendingReservations {
    /** What was undone, what is kept (its owner runs, or it waits for --undo) and what could not be undone. */
    public record Outcome(List<String> restored, int kept, List<String> failed) {}

    private PendingReservations() {}

    /** Undoes what dead vmlat processes left on this machine. */
    public static Outcome restore() {
        return restore(ReservationApplier.system());
    }

    static Outcome restore(ReservationApplier applier) {
        List<String> restored = new ArrayList<>(), failed = new ArrayList<>();
        int kept = 0;
        if (!Files.isDirectory(applier.records())) return new Outcome(restored, kept, failed);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(applier.records(), "*.restore")) {
            for (Path f : files) {
                RestoreRecord r;
                try {
                    r = RestoreRecord.read(f).orElse(null);
                } catch (IOException | IllegalArgumentException e) {
                    failed.add(f + ": " + e.getMessage());
                    continue;
                }
                if (r == null) continue;
                if (r.owner() == null || r.owner().isAlive()) {
                    kept++;
                    continue;
                }
                List<String> problems = applier.restore(r, null);
                if (problems.isEmpty()) {
                    Files.deleteIfExists(f);
                    restored.add(r.reservation() + " on " + r.threads().size() + " vCPU thread(s) of QEMU " + r.qemu().pid()
                            + (r.qemu().isAlive() ? "" : " (QEMU gone" + (r.created() != null ? "; its cpu group removed)" : ")")));
                } else {
                    failed.add(f + ": " + String.join("; ", problems));
                }
            }
        } catch (IOException e) {
            failed.add(applier.records() + ": " + e.getMessage());
        }
        return new Outcome(restored, kept, failed);
    }

    /** The record kept for a QEMU (by {@code design --apply}), if any. */
    public static Optional<RestoreRecord> of(ProcessIdentity qemu) throws IOException {
        return RestoreRecord.read(RestoreRecord.file(ReservationApplier.system().records(), qemu));
    }
}
