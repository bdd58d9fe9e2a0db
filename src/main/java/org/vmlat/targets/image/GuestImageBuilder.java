package org.vmlat.targets.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.vmlat.os.Executables;
import org.vmlat.os.FileTrees;
import org.vmlat.os.VmlatDirs;
import org.vmlat.probe.ProbeException;

/**
 * Builds guest images from Debian's own kernels without installing them: {@code apt-get download}
 * and {@code dpkg -x} the kernel package, cut the uncompressed ELF out of vmlinuz (the xz payload:
 * Debian's kernels have CONFIG_PVH, so QEMU boots the ELF directly, about twice as fast as
 * vmlinuz under emulation), and pack an initramfs with busybox-static (also downloaded), the
 * host's cyclictest and hackbench with the libraries ldd names, the six virtio-serial modules
 * (loaded by /init with insmod in dependency order) and vmlat's /init. Results leave through a
 * virtio-serial port: a second 8250 port lost them when QEMU's threads ran at SCHED_FIFO under
 * emulation ("irq 3: nobody cared", the transmit never drained). Images are cached per kernel
 * package under the cache directory.
 */
public final class GuestImageBuilder {
    /**
     * The cached images' format: bumped whenever the image layout changes, and followed by a hash of
     * both /init scripts, so that a changed /init rebuilds cached images even when nobody bumped it.
     */
    static final String FORMAT = "16-" + Integer.toHexString((GuestImageBuilder.INIT + GuestImageBuilder.AGENT_INIT).hashCode());
    private static final byte[] XZ_MAGIC = {(byte) 0xFD, '7', 'z', 'X', 'Z', 0};
    private static final Pattern DEPENDS = Pattern.compile("Depends: (linux-image-[^\\s]+)");
    /** virtio-serial, in the order insmod needs them. */
    static final List<String> MODULES = List.of("drivers/virtio/virtio_ring.ko", "drivers/virtio/virtio.ko",
            "drivers/virtio/virtio_pci_legacy_dev.ko", "drivers/virtio/virtio_pci_modern_dev.ko", "drivers/virtio/virtio_pci.ko",
            "drivers/char/virtio_console.ko");

    private final Path cacheDir;

    public GuestImageBuilder(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    public static Path defaultCacheDir() {
        return VmlatDirs.cache("guests");
    }

    /** "nrt" (linux-image-amd64), "rt" (linux-image-rt-amd64) or a path to a .deb or a vmlinuz/ELF. */
    /**
     * A kernel choice as a plan writes it, checked before a run is created: nrt, rt, or a path to
     * an existing Debian package (.deb), ELF kernel or bzImage (vmlinuz), read by its first bytes.
     *
     * @throws IllegalArgumentException naming what the path is instead
     */
    public static String checkKernel(String kernel) {
        if (kernel.equals("nrt") || kernel.equals("rt")) return kernel;
        Path given = Path.of(kernel);
        if (!Files.exists(given)) throw new IllegalArgumentException("\"" + kernel + "\": no such file (use nrt, rt, a .deb or a vmlinuz/ELF path)");
        if (!Files.isRegularFile(given)) throw new IllegalArgumentException("\"" + kernel + "\" is not a regular file (use nrt, rt, a .deb or a vmlinuz/ELF path)");
        byte[] head = new byte[0x206];
        int n;
        try (InputStream in = Files.newInputStream(given)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new IllegalArgumentException("\"" + kernel + "\": cannot read: " + e.getMessage());
        }
        boolean elf = n >= 4 && head[0] == 0x7F && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
        boolean deb = n >= 8 && new String(head, 0, 8, StandardCharsets.ISO_8859_1).equals("!<arch>\n");
        boolean bzImage = n >= 0x206 && head[0x202] == 'H' && head[0x203] == 'd' && head[0x204] == 'r' && head[0x205] == 'S';
        if (!elf && !deb && !bzImage) throw new IllegalArgumentException("\"" + kernel + "\" is not a kernel: neither a .deb, an ELF nor a bzImage");
        return kernel;
    }

    public GuestImage build(String kernel, java.util.function.Consumer<String> progress) {
        try {
            Files.createDirectories(cacheDir);
            if (kernel.equals("nrt") || kernel.equals("rt")) {
                String meta = kernel.equals("rt") ? "linux-image-rt-amd64" : "linux-image-amd64";
                String pkg = resolve(meta);
                Path dir = cacheDir.resolve(pkg);
                GuestImage cached = cached(kernel, pkg, dir);
                if (cached != null) return cached;
                progress.accept("downloading " + pkg + " (apt-get download, not installed)");
                Path work = Files.createTempDirectory(cacheDir, "build-");
                Commands.run(List.of("apt-get", "download", pkg), work, 600);
                Path deb;
                try (Stream<Path> s = Files.list(work)) {
                    deb = s.filter(p -> p.toString().endsWith(".deb")).findFirst().orElseThrow(() -> new ProbeException("apt-get download " + pkg + " gave no .deb"));
                }
                return fromDeb(kernel, pkg, deb, dir, work, progress);
            }
            Path given = Path.of(kernel);
            if (!Files.exists(given)) throw new ProbeException(kernel + ": no such kernel (use nrt, rt, a .deb or a vmlinuz/ELF path)");
            String name = given.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
            Path dir = cacheDir.resolve("file-" + name + "-" + Files.size(given));
            GuestImage cached = cached(name, name, dir);
            if (cached != null) return cached;
            Path work = Files.createTempDirectory(cacheDir, "build-");
            if (name.endsWith(".deb")) return fromDeb(name, name, given, dir, work, progress);
            Files.createDirectories(dir);
            Path elf = dir.resolve("vmlinux");
            extractElf(given, elf);
            if (!isElf(given)) Files.copy(given, dir.resolve("vmlinuz"), StandardCopyOption.REPLACE_EXISTING);
            return finish(name, name, guessRelease(given), dir, elf, List.of(), progress);
        } catch (IOException e) {
            throw new ProbeException("building the guest image: " + e.getMessage(), e);
        }
    }

    private GuestImage cached(String name, String pkg, Path dir) throws IOException {
        Path info = dir.resolve("image.properties");
        if (!Files.exists(info)) return null;
        java.util.Properties p = new java.util.Properties();
        try (InputStream in = Files.newInputStream(info)) {
            p.load(in);
        }
        if (!FORMAT.equals(p.getProperty("format")) || !Files.exists(dir.resolve("vmlinux")) || !Files.exists(dir.resolve("initrd.gz"))) return null;
        Path bz = dir.resolve("vmlinuz");
        return new GuestImage(name, pkg, p.getProperty("release"), Boolean.parseBoolean(p.getProperty("realtime")),
                dir.resolve("vmlinux"), Files.exists(bz) ? bz : null, dir.resolve("initrd.gz"), Boolean.parseBoolean(p.getProperty("virtio_serial")));
    }

    private GuestImage fromDeb(String name, String pkg, Path deb, Path dir, Path work, java.util.function.Consumer<String> progress) throws IOException {
        Path x = work.resolve("x");
        Commands.run(List.of("dpkg", "-x", deb.toString(), x.toString()), null, 600);
        Path vmlinuz;
        try (Stream<Path> s = Files.list(x.resolve("boot"))) {
            vmlinuz = s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-")).findFirst()
                    .orElseThrow(() -> new ProbeException(deb + " holds no boot/vmlinuz-*"));
        }
        String release = vmlinuz.getFileName().toString().substring("vmlinuz-".length());
        Files.createDirectories(dir);
        Path elf = dir.resolve("vmlinux");
        progress.accept("extracting the kernel ELF from " + vmlinuz.getFileName());
        extractElf(vmlinuz, elf);
        Files.copy(vmlinuz, dir.resolve("vmlinuz"), StandardCopyOption.REPLACE_EXISTING);
        List<Path> modules = new ArrayList<>();
        for (String m : MODULES) {
            Path ko = x.resolve("lib/modules/" + release + "/kernel/" + m);
            if (!Files.exists(ko)) {
                modules.clear();
                break;
            }
            Path copy = dir.resolve(Path.of(m).getFileName());
            Files.copy(ko, copy, StandardCopyOption.REPLACE_EXISTING);
            modules.add(copy);
        }
        FileTrees.delete(work);
        return finish(name, pkg, release, dir, elf, modules, progress);
    }

    private GuestImage finish(String name, String pkg, String release, Path dir, Path elf, List<Path> modules,
                              java.util.function.Consumer<String> progress) throws IOException {
        boolean rt = release.contains("-rt-");
        progress.accept("packing the initramfs (busybox, cyclictest, hackbench, chrt" + (modules.isEmpty() ? "" : ", virtio-serial") + ")");
        Path initrd = dir.resolve("initrd.gz");
        writeInitramfs(initrd, modules);
        java.util.Properties p = new java.util.Properties();
        p.setProperty("release", release);
        p.setProperty("realtime", Boolean.toString(rt));
        p.setProperty("package", pkg);
        p.setProperty("virtio_serial", Boolean.toString(!modules.isEmpty()));
        p.setProperty("format", FORMAT);
        try (OutputStream o = Files.newOutputStream(dir.resolve("image.properties"))) {
            p.store(o, "vmlat guest image");
        }
        Path bz = dir.resolve("vmlinuz");
        return new GuestImage(name, pkg, release, rt, elf, Files.exists(bz) ? bz : null, initrd, !modules.isEmpty());
    }

    /** The versioned package a meta-package depends on (superseded versions leave the archive). */
    public static String resolve(String meta) {
        String out;
        try {
            out = Commands.run(List.of("apt-cache", "depends", meta), null, 60);
        } catch (ProbeException e) {
            out = "";
        }
        Matcher m = DEPENDS.matcher(out);
        if (!m.find()) {
            Commands.run(List.of("apt-get", "update", "-qq"), null, 600);
            out = Commands.run(List.of("apt-cache", "depends", meta), null, 60);
            m = DEPENDS.matcher(out);
            if (!m.find()) throw new ProbeException("cannot resolve " + meta + " to a kernel package (apt-cache depends " + meta + ")");
        }
        return m.group(1);
    }

    /** Cuts the xz payload out of a bzImage and decompresses it into the vmlinux ELF. */
    static void extractElf(Path vmlinuz, Path elf) throws IOException {
        byte[] all = Files.readAllBytes(vmlinuz);
        if (isElf(vmlinuz)) {
            Files.copy(vmlinuz, elf, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        int at = indexOf(all, XZ_MAGIC);
        if (at < 0) throw new ProbeException(vmlinuz + ": no xz payload (not a Debian x86-64 vmlinuz?)");
        Process p = new ProcessBuilder("xz", "-dc", "--single-stream").redirectOutput(elf.toFile()).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(all, at, all.length - at);
        } catch (IOException e) {
            // xz stops reading after the stream ends: the rest of the image is not needed
        }
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(elf)) {
            if (in.read(head) != 4 || head[0] != 0x7F || head[1] != 'E') throw new ProbeException(vmlinuz + ": the xz payload is not an ELF kernel");
        }
    }

    public static boolean isElf(Path file) throws IOException {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            return in.read(head) == 4 && head[0] == 0x7F && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
        }
    }

    private static String guessRelease(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith("vmlinuz-") ? n.substring(8) : n;
    }

    /**
     * /init: with vmlat.args on the kernel command line, run cyclictest once, send the result to
     * the virtio-serial port (else ttyS1, or the Xen console) and power off. With vmlat.serve
     * instead, serve scenarios on the port for as long as the host keeps it open: read a line
     * "RUN id options load", run it, send the result, then end the guest load and report what is
     * left of the probe or the load (VMLAT-CLEAN), so the host knows whether the guest can serve
     * the next scenario as it served this one. A RUN line with a trace ring's size traces the kernel
     * around that scenario's probe alone: tracing on before, the trace sent after the result, then
     * the events off, the ring emptied and shrunk back, and VMLAT-CLEAN names what of it is left.
     */
    static final String INIT = """
            #!/bin/busybox sh
            /bin/busybox --install -s /bin
            export PATH=/bin:/usr/bin
            mount -t proc proc /proc
            mount -t sysfs sys /sys
            mount -t devtmpfs dev /dev
            mkdir -p /dev/shm /tmp
            mount -t tmpfs tmp /tmp
            mount -t tmpfs shm /dev/shm
            arg() { sed -n "s/.*$1=\\([^ ]*\\).*/\\1/p" /proc/cmdline; }
            ARGS=$(arg vmlat.args | tr ',' ' ')
            LOAD=$(arg vmlat.load)
            SERVE=$(arg vmlat.serve)
            OUT=/dev/ttyS1
            port() {
              for d in /sys/class/virtio-ports/*; do
                [ "$(cat $d/name 2>/dev/null)" = vmlat ] && OUT=/dev/$(basename $d)
              done
            }
            HV=$(cat /sys/hypervisor/type 2>/dev/null)
            if [ -d /lib/vmlat ]; then
              for m in /lib/vmlat/*.ko; do insmod $m; done
              port
              # serving needs the port itself: its name comes in a control message after the driver loads.
              # A Xen guest has no such port (it serves on its console): waiting for one cost it 20 s
              n=0; while [ -n "$SERVE" ] && [ "$HV" != xen ] && [ "$OUT" = /dev/ttyS1 ] && [ $n -lt 200 ]; do sleep 0.1; port; n=$((n+1)); done
            fi
            # under Xen the console is the channel (hvc0 for PV/PVH, ttyS0 for HVM): xenconsoled or
            # the device model's serial file keeps it in Dom0
            [ "$HV" = xen ] && OUT=/dev/console
            [ "$OUT" = /dev/ttyS1 ] && stty -F /dev/ttyS1 raw -echo 2>/dev/null
            RT=$(cat /sys/kernel/realtime 2>/dev/null || echo 0)
            BOOT=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo none)
            echo "VMLAT-READY $(uname -r) realtime=$RT"
            measure() {
              if [ "$LOAD" = hackbench ]; then hackbench --groups 2 --fds 10 --loops 1000000000 >/dev/null 2>&1 & fi
              # cyclictest's main thread (start-up, the end of -D, the histogram) runs at its caller's
              # policy: at SCHED_OTHER beside 40 hackbench tasks on one vCPU it took 1.4-1.9 s more than
              # -D. At FIFO 1 it is below every measuring thread (FIFO -p) and above the load. The load
              # is ended by the same process right after the probe: from this shell, at SCHED_OTHER,
              # killall waited 0.9 s for a CPU behind the load it was to end.
              MAIN=
              case " $ARGS " in *" --policy=fifo "*|*" --policy=rr "*) MAIN="chrt -f 1";; esac
              echo "VMLAT-START$1"
              read T0 X < /proc/uptime
              rm -f /tmp/probe-end
              LOAD=$LOAD $MAIN sh -c 'cyclictest "$@" --json=/tmp/r.json > /tmp/out.txt 2>&1; RC=$?; read T1 X < /proc/uptime
                echo "$RC $T1" > /tmp/probe-end; [ "$LOAD" = hackbench ] && killall -KILL hackbench 2>/dev/null; exit 0' sh $ARGS
              RC=1; read T1 X < /proc/uptime
              [ -s /tmp/probe-end ] && read RC T1 < /tmp/probe-end
            }
            report() {
              echo "VMLAT-FACTS release=$(uname -r) realtime=$RT clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource) cpus=$(grep -c ^processor /proc/cpuinfo) hypervisor=${HV:-none} guest_type=$(cat /sys/hypervisor/guest_type 2>/dev/null || echo none) xen_version=$(cat /sys/hypervisor/version/major 2>/dev/null).$(cat /sys/hypervisor/version/minor 2>/dev/null)$(cat /sys/hypervisor/version/extra 2>/dev/null) elapsed=$(awk "BEGIN {print $T1 - $T0}") boot_id=$BOOT"
              # empty histogram rows are left out: a Xen HVM console is an emulated UART, and 10000
              # rows of zeros take minutes through it under emulation
              echo "VMLAT-BEGIN-OUT"
              awk '/^[0-9]+[ \t]/ { z = 1; for (i = 2; i <= NF; i++) if ($i + 0 != 0) z = 0; if (z) next } { print }' /tmp/out.txt
              echo "VMLAT-END-OUT"
              # the JSON's own histogram entries repeat the text's: only its version and sysinfo are kept
              echo "VMLAT-BEGIN-JSON"; sed -E '/^[[:space:]]*"[0-9]+": [0-9]+,?$/d' /tmp/r.json 2>/dev/null; echo "VMLAT-END-JSON"
              echo "VMLAT-RC $RC"
            }
            T=/sys/kernel/tracing
            # TRACE=KB: the kernel traced around the probe into a ring of KB per CPU (the oldest events go when it is
            # full: bounded, and nothing runs beside the probe to drain it); TRACE= when tracefs is missing
            trace_on() {
              [ -w $T/tracing_on ] || mount -t tracefs nodev $T 2>/dev/null
              if [ ! -w $T/tracing_on ]; then echo "VMLAT-NOTRACE tracefs cannot be mounted in the guest"; TRACE=; return; fi
              echo 0 > $T/tracing_on
              KB0=$(cut -d' ' -f1 $T/buffer_size_kb)
              echo mono > $T/trace_clock
              echo $TRACE > $T/buffer_size_kb
              # raw pointers in the trace: the analysis tells timers apart by address (no_hash_pointers at boot does
              # the same for the whole kernel; this option is the trace's own and can be switched back)
              echo 0 > $T/options/hash-ptr 2>/dev/null
              for e in sched/sched_switch sched/sched_waking sched/sched_wakeup timer/hrtimer_start timer/hrtimer_expire_entry \
                  timer/hrtimer_expire_exit irq_vectors/local_timer_entry irq_vectors/local_timer_exit irq/irq_handler_entry \
                  irq/irq_handler_exit irq/softirq_entry irq/softirq_exit; do echo 1 > $T/events/$e/enable; done
              echo > $T/trace
              echo 1 > $T/tracing_on
              # the host's clock round trips: each number it sends is marked in the trace on receipt and echoed
              SYNC=
              for d in /sys/class/virtio-ports/*; do
                [ "$(cat $d/name 2>/dev/null)" = vmlat-sync ] && SYNC=/dev/$(basename $d)
              done
              echo "VMLAT-SYNC port=${SYNC:-none}"
              SYNCPID=
              if [ -n "$SYNC" ]; then
                rm -f /tmp/sync-end
                # a port reads as ended while the host is not connected: opened again until the probe is done
                ( while [ ! -e /tmp/sync-end ]; do
                    exec 4<>$SYNC
                    while read -r n <&4; do echo "vmlat-sync $n" 2>/dev/null > $T/trace_marker; echo "$n" >&4; done
                    exec 4<&-
                    usleep 50000
                  done ) &
                SYNCPID=$!
              fi
            }
            # the probe is done: the ring keeps what it holds, the round trips end
            trace_stop() {
              echo 0 > $T/tracing_on
              touch /tmp/sync-end
              [ -n "$SYNCPID" ] && kill $SYNCPID 2>/dev/null && wait $SYNCPID 2>/dev/null
              SYNCPID=
            }
            # the kernel's trace after the result, when it was traced
            trace_report() {
              if [ -n "$TRACE" ]; then
                # tracefs text, gzip-compressed, cut at 24 MiB, in base64 lines
                echo "VMLAT-TRACE-FACTS buffer_kb=$TRACE clock=mono overrun=$(awk '/^overrun:/ { s += $2 } END { print s + 0 }' $T/per_cpu/cpu*/stats)"
                echo "VMLAT-BEGIN-TRACE"
                cat $T/trace | gzip -c | head -c 25165824 | base64
                echo "VMLAT-END-TRACE"
              fi
            }
            # a guest that serves the next scenario gives the trace's resources back: events off, ring emptied and shrunk
            trace_off() {
              echo > $T/set_event
              echo > $T/trace
              echo $KB0 > $T/buffer_size_kb
              echo 1 > $T/options/hash-ptr 2>/dev/null
              rm -f /tmp/sync-end
            }
            # probe and load processes still running (zombies are gone already): name:pid,...
            leftover() {
              for p in $(pidof cyclictest hackbench); do
                s=$(cut -d' ' -f3 /proc/$p/stat 2>/dev/null)
                [ -n "$s" ] && [ "$s" != Z ] && printf '%s:%s,' "$(cat /proc/$p/comm)" $p
              done
              # what a traced scenario set in the kernel, once tracefs is mounted
              if [ -r $T/tracing_on ]; then
                [ "$(cat $T/tracing_on)" != 0 ] && [ -n "$KB0" ] && printf 'tracing:on,'
                # tracefs files have no size: their lines are counted
                E=$(grep -c . $T/set_event); [ "$E" != 0 ] && printf 'trace-events:%s,' $E
                [ -n "$KB0" ] && [ "$(cut -d' ' -f1 $T/buffer_size_kb)" != "$KB0" ] && printf 'trace-ring:%skb,' $(cut -d' ' -f1 $T/buffer_size_kb)
              fi
              [ -n "$SYNCPID" ] && [ -d /proc/$SYNCPID ] && printf 'clock-sync:%s,' $SYNCPID
              return 0
            }
            if [ -n "$SERVE" ] && [ "$OUT" != /dev/ttyS1 ]; then
              # a Xen guest serves on its console, a tty: raw, so that neither echo nor line editing touch the commands
              [ "$HV" = xen ] && stty -F $OUT raw -echo 2>/dev/null
              exec 3<>$OUT
              # what does not change while the guest runs is read once; every fork costs under emulation
              FACTS="release=$(uname -r) realtime=$RT clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource) cpus=$(grep -c ^processor /proc/cpuinfo) hypervisor=${HV:-none} guest_type=$(cat /sys/hypervisor/guest_type 2>/dev/null || echo none) xen_version=$(cat /sys/hypervisor/version/major 2>/dev/null).$(cat /sys/hypervisor/version/minor 2>/dev/null)$(cat /sys/hypervisor/version/extra 2>/dev/null) boot_id=$BOOT"
              echo "VMLAT-SERVING $(uname -r) realtime=$RT boot_id=$BOOT"
              while read -r CMD ID A L TR <&3; do
                [ "$CMD" = RUN ] || continue
                read UP0 X < /proc/uptime
                ARGS=${A//,/ }
                LOAD=$L
                TRACE=${TR#-}
                [ -n "$TRACE" ] && trace_on
                measure " id=$ID;"
                [ -n "$TRACE" ] && trace_stop
                # a virtio-serial port is no UART: the histogram and the JSON go out whole; a Xen console as in report()
                { echo "VMLAT-FACTS $FACTS elapsed=$(awk "BEGIN {print $T1 - $T0}")"
                  if [ "$HV" = xen ]; then
                    echo "VMLAT-BEGIN-OUT"
                    awk '/^[0-9]+[ \t]/ { z = 1; for (i = 2; i <= NF; i++) if ($i + 0 != 0) z = 0; if (z) next } { print }' /tmp/out.txt
                    echo "VMLAT-END-OUT"
                    echo "VMLAT-BEGIN-JSON"; sed -E '/^[[:space:]]*"[0-9]+": [0-9]+,?$/d' /tmp/r.json 2>/dev/null; echo "VMLAT-END-JSON"
                  else
                    echo "VMLAT-BEGIN-OUT"; cat /tmp/out.txt; echo "VMLAT-END-OUT"
                    echo "VMLAT-BEGIN-JSON"; cat /tmp/r.json 2>/dev/null; echo "VMLAT-END-JSON"
                  fi
                  echo "VMLAT-RC $RC"; trace_report; } >&3
                [ -n "$TRACE" ] && trace_off
                # leftover forks per process: wait first, cheaply, until none is named
                n=0; while pidof cyclictest hackbench >/dev/null && [ $n -lt 50 ]; do usleep 20000; n=$((n+1)); done
                n=0; LEFT=$(leftover); while [ -n "$LEFT" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n+1)); LEFT=$(leftover); done
                { echo "VMLAT-CLEAN id=$ID left=${LEFT:-none}"; echo "VMLAT-DONE id=$ID;"; } >&3
                rm -f /tmp/r.json /tmp/out.txt
                read UP1 X < /proc/uptime
                echo "VMLAT-SERVED id=$ID rc=$RC trace=${TRACE:-none} received=$UP0 probe=$T0..$T1 sent=$UP1"
              done
              # the host closed the port: the guest is no longer needed (a Xen console never ends: Dom0 destroys the guest)
              poweroff -f
            fi
            [ -n "$SERVE" ] && echo "VMLAT-NO-CHANNEL (no virtio-serial port vmlat)" && poweroff -f
            # a guest booted for one scenario is told to trace on its kernel command line (vmlat.trace=KB)
            TRACE=$(arg vmlat.trace)
            [ -n "$TRACE" ] && trace_on
            measure ""
            [ -n "$TRACE" ] && trace_stop
            { report; trace_report; echo "VMLAT-DONE"; } > $OUT
            echo "VMLAT-END rc=$RC"
            sync
            # a PV console is a ring xenconsoled drains: give it time before the domain goes
            [ "$HV" = xen ] && sleep 1
            poweroff -f
            """;

    /**
     * /init of the agent variant: the guest comes up with the QEMU guest agent on the virtio-serial
     * port org.qemu.guest_agent.0 and stays up, and whoever holds the domain runs cyclictest in it
     * through the agent (guest-exec) as often as it likes.
     */
    static final String AGENT_INIT = """
            #!/bin/busybox sh
            /bin/busybox --install -s /bin
            export PATH=/bin:/usr/bin
            mount -t proc proc /proc
            mount -t sysfs sys /sys
            mount -t devtmpfs dev /dev
            mkdir -p /dev/shm /tmp /run /var/run
            mount -t tmpfs tmp /tmp
            mount -t tmpfs shm /dev/shm
            for m in /lib/vmlat/*.ko; do insmod $m; done
            PORT=
            for d in /sys/class/virtio-ports/*; do
              [ "$(cat $d/name 2>/dev/null)" = org.qemu.guest_agent.0 ] && PORT=/dev/$(basename $d)
            done
            RT=$(cat /sys/kernel/realtime 2>/dev/null || echo 0)
            echo "VMLAT-AGENT $(uname -r) realtime=$RT port=${PORT:-none}"
            # the agent is what this guest is for: started again should it ever end
            [ -n "$PORT" ] && while true; do qemu-ga -m virtio-serial -p $PORT -t /run; sleep 1; done &
            while true; do sleep 3600; done
            """;

    /**
     * The agent variant of a built image: the same kernel with an initramfs that also holds
     * qemu-ga (from Debian's qemu-guest-agent, downloaded, not installed, with the libraries ldd
     * names) and {@link #AGENT_INIT}; built once beside the image as {@code initrd-agent.gz}.
     */
    public Path agentInitrd(GuestImage image, java.util.function.Consumer<String> progress) {
        if (!image.virtioSerial()) throw new ProbeException(image.kernelPackage() + ": the agent image needs the kernel's virtio-serial modules");
        Path dir = image.initrd().getParent();
        Path out = dir.resolve("initrd-agent.gz");
        try {
            Path stamp = dir.resolve("initrd-agent.format");
            if (Files.exists(out) && Files.exists(stamp) && Files.readString(stamp).equals(FORMAT)) return out;
            Path qga = downloaded("qemu-guest-agent", "usr/sbin/qemu-ga");
            progress.accept("packing the agent initramfs (busybox, qemu-ga, cyclictest, hackbench, virtio-serial)");
            List<Path> modules = new ArrayList<>();
            for (String m : MODULES) modules.add(dir.resolve(Path.of(m).getFileName()));
            writeInitramfs(out, modules, AGENT_INIT, List.of(qga));
            Files.writeString(stamp, FORMAT);
            return out;
        } catch (IOException e) {
            throw new ProbeException("building the agent image: " + e.getMessage(), e);
        }
    }

    void writeInitramfs(Path target, List<Path> modules) throws IOException {
        writeInitramfs(target, modules, INIT, List.of());
    }

    private void writeInitramfs(Path target, List<Path> modules, String init, List<Path> extraTools) throws IOException {
        Path busybox = busybox();
        Set<String> files = new LinkedHashSet<>();
        List<String> tools = new ArrayList<>();
        // the host's own tools, each with the Debian package that has it; chrt sets the guest probe's main thread's policy
        for (Map.Entry<String, String> tool : List.of(Map.entry("cyclictest", "rt-tests"), Map.entry("hackbench", "rt-tests"),
                Map.entry("chrt", "util-linux"))) {
            Path p = Executables.which(tool.getKey())
                    .orElseThrow(() -> new ProbeException(tool.getKey() + " is needed for guest images: apt-get install " + tool.getValue()));
            tools.add(p.toString());
            files.addAll(libraries(p));
        }
        for (Path p : extraTools) {
            tools.add(p.toString());
            files.addAll(libraries(p));
        }
        try (CpioWriter cpio = new CpioWriter(new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(target)), 1 << 16))) {
            Set<String> dirs = new LinkedHashSet<>(List.of("bin", "dev", "proc", "sys", "tmp", "usr", "usr/bin", "etc"));
            for (String f : files) {
                Path parent = Path.of(f).getParent();
                while (parent != null && !parent.toString().equals("/")) {
                    dirs.add(parent.toString().substring(1));
                    parent = parent.getParent();
                }
            }
            List<String> sorted = new ArrayList<>(dirs);
            sorted.sort(null);
            for (String d : sorted) cpio.directory(d);
            cpio.file("bin/busybox", 0755, Files.readAllBytes(busybox));
            cpio.file("init", 0755, init.getBytes(StandardCharsets.UTF_8));
            for (String t : tools) cpio.file("usr/bin/" + Path.of(t).getFileName(), 0755, Files.readAllBytes(Path.of(t)));
            for (String f : files) cpio.file(f.substring(1), 0755, Files.readAllBytes(Path.of(f).toRealPath()));
            if (!modules.isEmpty()) {
                cpio.directory("lib/vmlat");
                for (int i = 0; i < modules.size(); i++) {
                    cpio.file(String.format("lib/vmlat/%02d-%s", i, modules.get(i).getFileName()), 0644, Files.readAllBytes(modules.get(i)));
                }
            }
        }
    }

    public Path busybox() throws IOException {
        return downloaded("busybox-static", "bin/busybox");
    }

    /** A file of a Debian package, downloaded and unpacked (not installed) once into the cache. */
    private Path downloaded(String pkg, String file) throws IOException {
        Path dir = cacheDir.resolve(pkg);
        Path bin = dir.resolve("x/" + file);
        if (Files.exists(bin)) return bin;
        Files.createDirectories(dir);
        Commands.run(List.of("apt-get", "download", pkg), dir, 600);
        Path deb;
        try (Stream<Path> s = Files.list(dir)) {
            deb = s.filter(p -> p.toString().endsWith(".deb")).findFirst().orElseThrow(() -> new ProbeException("apt-get download " + pkg + " gave no .deb"));
        }
        Commands.run(List.of("dpkg", "-x", deb.toString(), dir.resolve("x").toString()), null, 120);
        if (!Files.exists(bin)) throw new ProbeException(pkg + " holds no " + file);
        return bin;
    }

    static Set<String> libraries(Path binary) {
        return libraries(binary, null);
    }

    /**
     * The libraries ldd resolves for a binary, with {@code ldPath} (unpacked packages' library
     * directories, or null) searched first; a library nobody provides is an error, not a broken image.
     */
    public static Set<String> libraries(Path binary, String ldPath) {
        ProcessBuilder pb = new ProcessBuilder("ldd", binary.toString()).redirectErrorStream(true);
        if (ldPath != null) pb.environment().put("LD_LIBRARY_PATH", ldPath);
        String out;
        try {
            out = new String(pb.start().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProbeException("cannot run ldd: " + e.getMessage(), e);
        }
        Set<String> libs = new LinkedHashSet<>();
        for (String line : out.split("\n")) {
            if (line.contains("not found")) throw new ProbeException(binary.getFileName() + " needs " + line.trim() + ", which is nowhere to be found");
            Matcher m = Pattern.compile("(/\\S+)").matcher(line.contains("=>") ? line.substring(line.indexOf("=>")) : line);
            if (m.find()) libs.add(m.group(1));
        }
        return libs;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
