package org.vmlat.os.check;

import java.util.Map;
import java.util.Optional;

/**
 * What was actually tried on the live system, as opposed to read from files: whether SCHED_FIFO
 * and mlockall were granted (empty = granted, else the errno text), and where tools are.
 */
public record Capabilities(Optional<String> fifoRefused, Optional<String> mlockRefused,
                           Map<String, Optional<String>> tools, Optional<String> kvmOpen) {}
