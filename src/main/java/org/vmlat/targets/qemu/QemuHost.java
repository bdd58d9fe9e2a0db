package org.vmlat.targets.qemu;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.vmlat.load.LoadSpec;
import org.vmlat.targets.image.GuestImage;
import org.vmlat.targets.reservation.VcpuReservation;

/**
 * The machine a QEMU target boots its guests on: this one ({@link LocalQemuHost}) or one reached
 * over SSH ({@link RemoteQemuHost}). Everything else about a guest (its command line, the boot
 * and measurement phases, the result) is the same for both and lives in {@link QemuTarget}. Paths
 * are strings: they name files on that machine.
 */
interface QemuHost {
    /** A guest's QEMU while it runs; closing kills it with everything it started. */
    interface RunningQemu extends AutoCloseable {
        boolean alive();

        /** Why it ended (exit status, the end of its output). */
        String failure();

        @Override
        void close();
    }

    /** A host load while it runs: null while it runs, else why it ended; closing ends it. */
    interface HostLoad extends AutoCloseable {
        String failure();

        @Override
        void close();
    }

    /**
     * A reservation in force on QEMU's vCPU threads: as read back while in force ("" for none);
     * closing takes it off (while QEMU runs, so that a restore that fails is seen).
     */
    interface Reserved extends AutoCloseable {
        Reserved NOTHING = new Reserved() {
            @Override
            public String readBack() {
                return "";
            }

            @Override
            public void close() {}
        };

        String readBack();

        /** @throws org.vmlat.targets.reservation.ReservationException what could not be restored */
        @Override
        void close();
    }

    /** A guest image's files as that machine sees them. */
    record ImageFiles(String kernel, String initrd) {}

    /** For messages: "this machine", "root@kvm:2222". */
    String where();

    /** Reaches the machine once (a remote one); nothing to do here. */
    void connect(Consumer<String> info);

    /** How the machine is emulated ("" on hardware): its figures are marked EMULATED. */
    String emulated();

    /** What is kept with each scenario about the machine QEMU ran on (none for this one: the run keeps its facts). */
    Map<String, String> facts();

    /** The guest image's files there, copied once when the machine is another one. */
    ImageFiles install(GuestImage image, Consumer<String> progress);

    /**
     * kvm when a test boot shows KVM really runs a guest there, else tcg; the answer is kept per
     * boot of that machine.
     *
     * @param localCheck the test boot on this machine, as {@link AccelCheck} makes it
     * @param testBoot   a test boot through this host (true when the guest finished)
     */
    String decideAccel(GuestImage image, AccelCheck.CommandBuilder localCheck, BooleanSupplier testBoot);

    /** A new private directory there for one guest's console, result and sockets. */
    String newDirectory(String prefix);

    /** Removes a directory made by {@link #newDirectory}; quietly, it holds temporary files only. */
    void removeDirectory(String dir);

    /** Starts QEMU in its own process group that ends with vmlat. */
    RunningQemu start(String target, List<String> argv);

    /** Whether a file there holds the text (false when there is no such file yet). */
    boolean contains(String file, String text);

    /** A file's content there ("" when there is none). */
    String read(String file);

    /** The end of a file there ("" when there is none). */
    String tail(String file, int maxChars);

    /**
     * Whether a guest there can serve several scenarios: its channel is a socket vmlat reaches
     * directly (on this machine); elsewhere each scenario boots its own guest.
     */
    boolean keepsGuests();

    /** How often a phase looks at the guest's files. */
    long pollMs();

    /**
     * Applies the settings' pinning and priorities to QEMU's threads there: the vCPU threads get
     * {@code pin} (round-robin) and {@code vcpuPriority} (else {@code qemuPriority}), every other
     * QEMU thread {@code qemuPriority}; nothing when none is set. They end with QEMU.
     *
     * @param dir the guest's directory (QEMU's QMP socket and pid file)
     */
    void schedule(RunningQemu qemu, String dir, QemuSettings settings);

    /**
     * Puts a reservation on QEMU's vCPU threads there, read back, with a restore record that the
     * next vmlat undoes should this one be killed; {@link Reserved#NOTHING} for none.
     *
     * @throws org.vmlat.targets.reservation.ReservationException a reservation refused (nothing left changed)
     */
    Reserved reserve(RunningQemu qemu, String dir, VcpuReservation reservation);

    /** A host load's command line there. */
    List<String> loadCommand(LoadSpec load);

    /** Starts a host-placed load there. */
    HostLoad startLoad(LoadSpec load);
}
