package org.vmlat.targets.image;

import java.nio.file.Path;

/**
 * A bootable guest: an uncompressed kernel (the PVH-capable ELF QEMU boots with -kernel) and an
 * initramfs holding busybox, cyclictest and hackbench.
 *
 * @param kernelPackage the Debian package the kernel came from (e.g. linux-image-6.1.0-56-rt-amd64)
 * @param release       the kernel release (uname -r)
 * @param realtime      whether it is a PREEMPT_RT kernel
 * @param bzImage       the compressed kernel as packaged (Xen HVM guests boot it through the device
 *                      model; null when the image was made from a bare ELF)
 * @param virtioSerial  whether the initramfs holds the virtio-serial modules (results then leave
 *                      through a virtio-serial port; else through a second 8250 serial port)
 */
public record GuestImage(String name, String kernelPackage, String release, boolean realtime, Path kernel, Path bzImage,
                         Path initrd, boolean virtioSerial) {}
