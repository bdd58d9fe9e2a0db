package org.vmlat.os.check;

import java.util.Map;
import java.util.Optional;

/**
 * What was actually tried on the live system, as opposed to read from files: whether SCHED_FIFO
 * and mlockall were granted (empty = granted, else the errno text), where tools are, and what a
 * test boot of a guest under KVM decided ("kvm" or "tcg"; empty when none was made).
 */
public record Capabilities(Optional<String> fifoRefused, Optional<String> mlockRefused,
                           Map<String, Optional<String>> tools, Optional<String> kvmOpen, Optional<String> kvmTestBoot) {
    /** Without a test boot of a guest under KVM. */
    public Capabilities(Optional<String> fifoRefused, Optional<String> mlockRefused, Map<String, Optional<String>> tools,
                        Optional<String> kvmOpen) {
        this(fifoRefused, mlockRefused, tools, kvmOpen, Optional.empty());
    }
}
