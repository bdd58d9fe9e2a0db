package org.vmlat.targets.xen;

import org.vmlat.targets.KeptGuestSlot;

/**
 * The one Xen guest kept running in a Dom0 between scenarios, whichever xen target of the run booted it, taken by the
 * next scenario with the same {@link ServedDomU.Key}. One per Dom0, destroyed with the run's connection to it.
 */
final class DomUSlot extends KeptGuestSlot<ServedDomU.Key, ServedDomU> {}
