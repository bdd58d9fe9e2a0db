package org.vmlat.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import org.vmlat.os.ProcessIdentity;

/**
 * The record of a running load or guest in the state folder's {@code loads/}, named after its
 * process group id:
 *
 * <pre>
 *   owner=PID-START      the vmlat that started it; nobody else touches it while that one runs
 *   leader=PGID-START    the group's leader, so a recycled group id is never signalled
 *   command=...          for messages
 * </pre>
 *
 * Records are written to a hidden file and renamed into place, so a reader never sees half of one.
 * Records of older vmlat versions (leader start time on the first line, then the command) have
 * no owner.
 */
public record LoadRecord(Optional<ProcessIdentity> owner, ProcessIdentity leader, String command) {
    public LoadRecord {
        if (owner == null) throw new IllegalArgumentException("owner: must not be null (use Optional.empty())");
        if (leader == null) throw new IllegalArgumentException("leader: must not be null");
        command = command == null ? "?" : command.replace('\n', ' ');
    }

    public long groupId() {
        return leader.pid();
    }

    /** Writes the record as {@code dir/PGID}. */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + groupId() + ".tmp");
        String text = (owner.map(o -> "owner=" + o + "\n").orElse("")) + "leader=" + leader + "\ncommand=" + command + "\n";
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Path file = dir.resolve(Long.toString(groupId()));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** Reads {@code file}, named PGID; empty if it is not a record. */
    public static Optional<LoadRecord> read(Path file) throws IOException {
        long pgid;
        try {
            pgid = Long.parseLong(file.getFileName().toString());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (pgid <= 1) return Optional.empty();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (!lines.isEmpty() && lines.get(0).trim().matches("\\d+")) { // an older vmlat's record
            return Optional.of(new LoadRecord(Optional.empty(), new ProcessIdentity(pgid, Long.parseLong(lines.get(0).trim())),
                    lines.size() > 1 ? lines.get(1) : "?"));
        }
        Optional<ProcessIdentity> owner = Optional.empty();
        Optional<ProcessIdentity> leader = Optional.empty();
        String command = "?";
        for (String l : lines) {
            if (l.startsWith("owner=")) owner = ProcessIdentity.parse(l.substring(6));
            else if (l.startsWith("leader=")) leader = ProcessIdentity.parse(l.substring(7));
            else if (l.startsWith("command=")) command = l.substring(8);
        }
        if (leader.isEmpty() || leader.get().pid() != pgid) return Optional.empty();
        return Optional.of(new LoadRecord(owner, leader.get(), command));
    }
}
