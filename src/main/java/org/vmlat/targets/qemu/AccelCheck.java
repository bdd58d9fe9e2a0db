package org.vmlat.targets.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.vmlat.load.LoadProcess;
import org.vmlat.load.LoadSpec;
import org.vmlat.load.Placement;
import org.vmlat.os.FileTrees;
import org.vmlat.os.PrivateFolder;
import org.vmlat.targets.image.GuestImage;
import org.vmlat.targets.image.GuestOutput;

/**
 * Whether KVM really runs a guest here. /dev/kvm can exist and accept VM creation while the
 * host cannot run an ordinary kernel (a PVM host without VMX/SVM: the guest crawls through
 * emulated ring-0 code for minutes and then fails, and QEMU does not exit). So: a short test boot
 * under a timeout; KVM only if the guest reaches the end of a one-loop cyclictest. Runs reuse the
 * answer cached for this host boot; {@code doctor --kvm-test} boots anew ({@link #testBoot}).
 */
public final class AccelCheck {
    /** Builds the QEMU command for an image, accelerator, cyclictest arguments, guest load and directory. */
    public interface CommandBuilder {
        List<String> build(GuestImage image, String accel, String args, String guestLoad, Path dir);
    }

    public static final long TEST_BOOT_MS = 25_000;
    private final Path cacheDir;
    private final Path stateDir;

    public AccelCheck(Path cacheDir, Path stateDir) {
        this.cacheDir = cacheDir;
        this.stateDir = stateDir;
    }

    /**
     * One test boot made now.
     *
     * @param answer  "kvm" when the guest finished its one-loop cyclictest under KVM, else "tcg"
     * @param qemuPid the QEMU process started for it
     * @param why     when not "kvm": QEMU's last words, or the time it was given
     */
    public record TestBoot(String answer, long qemuPid, long elapsedMs, String why) {}

    /** The answer cached for this host boot, else a test boot's (then cached). */
    public String decide(GuestImage image, CommandBuilder commands) {
        if (!Files.exists(Path.of("/dev/kvm"))) return "tcg";
        Optional<String> cached = cached(cacheDir);
        if (cached.isPresent()) return cached.get();
        try {
            return testBoot(image, commands).answer();
        } catch (IOException e) {
            return "tcg";
        }
    }

    /** Boots a guest now whatever the cache says, and caches the fresh answer for later runs. */
    public TestBoot testBoot(GuestImage image, CommandBuilder commands) throws IOException {
        long start = System.nanoTime();
        Path dir = PrivateFolder.createNumberedDirectory("kvm-check-");
        List<String> cmd = commands.build(image, "kvm", "-l1,-q", "", dir);
        LoadProcess qemu = LoadProcess.start(new LoadSpec("qemu-kvm-check", "", cmd, 1, Placement.HOST), cmd, stateDir);
        long pid = qemu.commandPid();
        boolean booted;
        String why = "";
        try {
            booted = awaitDone(qemu, dir.resolve("result.txt"));
            if (!booted) why = qemu.isAlive() ? "no result within " + TEST_BOOT_MS / 1000 + " s" : lastLine(qemu.failure());
        } finally {
            qemu.close();
            FileTrees.delete(dir);
        }
        String answer = booted ? "kvm" : "tcg";
        Files.createDirectories(cacheDir);
        Files.writeString(cacheDir.resolve("accel-" + bootId()), answer + "\n");
        return new TestBoot(answer, pid, (System.nanoTime() - start) / 1_000_000, why);
    }

    /** The last two lines: QEMU's complaint and how it ended ("Aborted"). */
    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        String last = lines[lines.length - 1].strip();
        return lines.length > 1 ? lines[lines.length - 2].strip() + " / " + last : last;
    }

    private static boolean awaitDone(LoadProcess qemu, Path result) throws IOException {
        try {
            long end = System.currentTimeMillis() + TEST_BOOT_MS;
            while (System.currentTimeMillis() < end && qemu.isAlive()) {
                if (Files.exists(result) && Files.readString(result, StandardCharsets.ISO_8859_1).contains(GuestOutput.DONE)) return true;
                Thread.sleep(100);
            }
            return Files.exists(result) && Files.readString(result, StandardCharsets.ISO_8859_1).contains(GuestOutput.DONE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The decision cached for this host boot, if a test boot was made. */
    public static Optional<String> cached(Path cacheDir) {
        try {
            Path f = cacheDir.resolve("accel-" + bootId());
            return Files.exists(f) ? Optional.of(Files.readString(f).strip()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
