package org.vmlat.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.vmlat.os.VmlatDirs;
import org.vmlat.store.ResultStore;
import org.vmlat.store.Spill;

/**
 * Where a scenario's result goes when the store's disk is full, and how a resumed run takes it
 * back. The result is written beside the store ({@code FILE.spill/}); when that disk has no room
 * either, into the state folder ({@code spill/KEY/}, KEY derived from the store's location), which
 * usually lives on another file system. A resumed run imports every spill of its run before
 * measuring anything, then removes the file: the scenario counts as finished with all its samples.
 */
public final class SpilledResults {
    /** A spill taken back into the store. */
    public record Imported(Path file, int scenarioIndex, long samples) {}

    private SpilledResults() {}

    /**
     * Writes the spill, beside the store if there is room there, else in the state folder.
     *
     * @return the file written
     * @throws IOException saying why neither place could take it
     */
    public static Path keep(ResultStore store, Spill spill) throws IOException {
        List<String> why = new ArrayList<>();
        for (Path folder : folders(store)) {
            Path file = folder.resolve(spill.fileName());
            try {
                write(file, spill.write());
                return file;
            } catch (IOException e) {
                why.add(folder + ": " + reason(e));
            }
        }
        throw new IOException("no room for it: " + String.join("; ", why));
    }

    /** Imports the spills of a run into its store and removes their files; a spill that cannot be read stays where it is. */
    public static List<Imported> importAll(ResultStore store, long runId) throws IOException {
        List<Imported> done = new ArrayList<>();
        for (Path folder : folders(store)) {
            if (!Files.isDirectory(folder)) continue;
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, "run-" + runId + "-scenario-*.json")) {
                ds.forEach(files::add);
            }
            files.sort(null);
            for (Path f : files) {
                Spill spill = Spill.read(f.toString(), Files.readString(f, StandardCharsets.UTF_8));
                if (!spill.store().equals(store.location()) || spill.runId() != runId) continue; // another store's
                store.importSpill(spill);
                Files.delete(f);
                done.add(new Imported(f, spill.scenarioIndex(), spill.samples()));
            }
            try {
                Files.deleteIfExists(folder); // only when empty
            } catch (IOException notEmpty) {
                // other runs' spills stay
            }
        }
        return done;
    }

    /** The folders a spill of this store may be in, in the order they are tried. */
    static List<Path> folders(ResultStore store) {
        List<Path> out = new ArrayList<>();
        store.spillFolder().ifPresent(out::add);
        out.add(VmlatDirs.state("spill").resolve(key(store.location())));
        return out;
    }

    /** A short name for a store's location: spills of stores with the same file name stay apart. */
    private static String key(String location) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(location.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Written whole or not at all: a half-written file on a full disk is removed. */
    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason().toLowerCase(Locale.ROOT);
        return e.getMessage();
    }
}
