package org.vmlat.targets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.vmlat.load.LeftoverReaper;
import org.vmlat.os.FileTrees;
import org.vmlat.os.PrivateFolder;
import org.vmlat.os.ProcessIdentity;
import org.vmlat.os.VmlatDirs;

/**
 * What vmlat keeps that can be rebuilt: the cache folder (guest, KVM-host and Dom0 images, the
 * packages they are made of, the per-boot KVM answer, {@code build-*} folders an interrupted build
 * left) and the consoles kept of failed guests. Listing and cleaning never touch what a running
 * vmlat uses: an entry a running guest's command line names (the load records), and, while
 * another vmlat runs (its private folder's PID-START record), every image and build folder, since
 * it may boot a guest from them at any moment.
 */
public final class VmlatCache {
    /**
     * One top-level item.
     *
     * @param leftover   a build folder or a KVM answer of an earlier host boot: nothing reads it again
     * @param usedBy     why it must stay, empty when it may go
     */
    public record Entry(Path path, String kind, long bytes, Instant modified, boolean leftover, Optional<String> usedBy) {}

    /** What {@code clean} removes besides leftovers: entries untouched for longer than olderThan, or all. */
    public record Sweep(boolean all, Optional<Duration> olderThan) {}

    public record Cleaned(List<Entry> removed, List<Entry> kept) {}

    private final Path cacheRoot;
    private final Path consoles;
    private final Path loads;
    private final Path vmlats;
    private final String bootId;

    public VmlatCache(Path cacheRoot, Path consoles, Path loads, Path vmlats, String bootId) {
        this.cacheRoot = cacheRoot;
        this.consoles = consoles;
        this.loads = loads;
        this.vmlats = vmlats;
        this.bootId = bootId;
    }

    /** This user's folders ({@code ~/.cache/vmlat}, the state folder's guest-consoles). */
    public static VmlatCache standard() {
        String boot;
        try {
            boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        } catch (IOException e) {
            boot = "unknown";
        }
        return new VmlatCache(VmlatDirs.cache("guests").getParent(), VmlatDirs.state("guest-consoles"), LeftoverReaper.defaultStateDir(),
                VmlatDirs.state("tmp"), boot);
    }

    public Path cacheRoot() {
        return cacheRoot;
    }

    public Path consoles() {
        return consoles;
    }

    public List<Entry> list() {
        List<LeftoverReaper.Running> guests = LeftoverReaper.running(loads);
        List<ProcessIdentity> others = PrivateFolder.liveOthers(vmlats);
        List<Entry> out = new ArrayList<>();
        for (Path folder : children(cacheRoot)) {
            if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) continue;
            for (Path item : children(folder)) out.add(entry(item, kindOf(folder, item), guests, others));
        }
        for (Path item : children(consoles)) out.add(entry(item, "guest console", guests, List.of()));
        return out;
    }

    /** Removes (or with dryRun only names) the entries the sweep selects that nothing uses. */
    public Cleaned clean(Sweep sweep, boolean dryRun, Instant now) {
        List<Entry> removed = new ArrayList<>();
        List<Entry> kept = new ArrayList<>();
        for (Entry e : list()) {
            boolean old = sweep.olderThan().map(d -> e.modified().plus(d).isBefore(now)).orElse(false);
            if (e.usedBy().isEmpty() && (sweep.all() || e.leftover() || old) && (dryRun || FileTrees.deleteQuietly(e.path()))) removed.add(e);
            else kept.add(e);
        }
        return new Cleaned(removed, kept);
    }

    private Entry entry(Path item, String kind, List<LeftoverReaper.Running> guests, List<ProcessIdentity> others) {
        String name = item.getFileName().toString();
        boolean build = name.startsWith("build-");
        boolean leftover = build || name.startsWith("accel-") && !name.equals("accel-" + bootId);
        Optional<String> usedBy = guests.stream().filter(g -> g.description().contains(item.toString())).findFirst()
                .map(g -> "running guest, process group " + g.groupId());
        boolean image = !kind.equals("guest console") && !name.startsWith("accel-");
        if (usedBy.isEmpty() && image && !others.isEmpty()) {
            usedBy = Optional.of("vmlat pid " + others.get(0).pid() + " is running and may boot guests from it");
        }
        long[] size = {0};
        long[] newest = {0};
        try (Stream<Path> walk = Files.walk(item)) {
            walk.forEach(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile()) size[0] += a.size();
                    newest[0] = Math.max(newest[0], a.lastModifiedTime().toMillis());
                } catch (IOException e) {
                    // gone while we looked: counts as nothing
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // an unreadable corner: the size is what could be read
        }
        return new Entry(item, kind, size[0], Instant.ofEpochMilli(newest[0]), leftover, usedBy);
    }

    private static String kindOf(Path folder, Path item) {
        String name = item.getFileName().toString();
        if (name.startsWith("build-")) return "build leftover";
        if (name.startsWith("accel-")) return "KVM answer";
        return switch (folder.getFileName().toString()) {
            case "guests" -> Files.exists(item.resolve("image.properties")) ? "guest image" : "guest package";
            case "kvm" -> "KVM host image";
            case "xen" -> "Dom0 image";
            default -> "other";
        };
    }

    private static List<Path> children(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        } catch (IOException e) {
            return out;
        }
        out.sort(null);
        return out;
    }
}
