package org.vmlat.targets.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * under a timeout; KVM only if the guest reaches the end of a one-loop cyclictest. The answer is
 * cached per host boot.
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

    public String decide(GuestImage image, CommandBuilder commands) {
        if (!Files.exists(Path.of("/dev/kvm"))) return "tcg";
        Path cache = cacheDir.resolve("accel-" + bootId());
        try {
            if (Files.exists(cache)) return Files.readString(cache).strip();
            String answer = testBoot(image, commands) ? "kvm" : "tcg";
            Files.createDirectories(cacheDir);
            Files.writeString(cache, answer + "\n");
            return answer;
        } catch (IOException e) {
            return "tcg";
        }
    }

    private boolean testBoot(GuestImage image, CommandBuilder commands) throws IOException {
        Path dir = PrivateFolder.createNumberedDirectory("kvm-check-");
        List<String> cmd = commands.build(image, "kvm", "-l1,-q", "", dir);
        LoadProcess qemu = LoadProcess.start(new LoadSpec("qemu-kvm-check", "", cmd, 1, Placement.HOST), cmd, stateDir);
        try {
            long end = System.currentTimeMillis() + TEST_BOOT_MS;
            Path result = dir.resolve("result.txt");
            while (System.currentTimeMillis() < end && qemu.isAlive()) {
                if (Files.exists(result) && Files.readString(result, StandardCharsets.ISO_8859_1).contains(GuestOutput.DONE)) return true;
                Thread.sleep(100);
            }
            return Files.exists(result) && Files.readString(result, StandardCharsets.ISO_8859_1).contains(GuestOutput.DONE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            qemu.close();
            FileTrees.delete(dir);
        }
    }

    /** The decision cached for this host boot, if a test boot was made. */
    public static java.util.Optional<String> cached(Path cacheDir) {
        try {
            Path f = cacheDir.resolve("accel-" + bootId());
            return Files.exists(f) ? java.util.Optional.of(Files.readString(f).strip()) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
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
