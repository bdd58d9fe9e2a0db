package org.vmlat.targets.qemu;

import org.vmlat.targets.KeptGuestSlot;

/**
 * The one QEMU guest kept running between scenarios on this machine, whichever QEMU target of the run booted it,
 * taken by the next scenario with the same {@link BootKey}. Shared by a run's targets through its resources, closed
 * with them at the end of the run.
 */
final class GuestSlot extends KeptGuestSlot<BootKey, ServedGuest> {}
