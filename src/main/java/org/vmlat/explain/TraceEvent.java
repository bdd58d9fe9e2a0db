package org.vmlat.explain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of a kernel trace in tracefs's text format: who was on the CPU (the task the event
 * interrupted or that emitted it), where, when, which event and its fields.
 *
 * @param comm   the task on the CPU when the event fired (its command name, may hold spaces)
 * @param pid    that task's thread id (0 is the idle task)
 * @param cpu    the CPU the event fired on
 * @param flags  the latency flags ({@code dNh2.}: irqs off, need-resched, hard/soft irq, preempt depth), empty when
 *               the trace has none (option irq-info off)
 * @param tsNs   the event's time on the trace clock (CLOCK_MONOTONIC when the clock is {@code mono}),
 *               in nanoseconds; tracefs prints microseconds, so the last three digits are zero
 * @param name   the event's name without its system, e.g. {@code sched_switch}
 * @param fields the event's {@code key=value} fields in order
 * @param line   the line as read, so a window can be written back unchanged
 */
public record TraceEvent(String comm, int pid, int cpu, String flags, long tsNs, String name, Map<String, String> fields, String line) {
    public TraceEvent {
        if (pid < 0) throw new IllegalArgumentException("pid must be >= 0, got " + pid);
        if (cpu < 0) throw new IllegalArgumentException("cpu must be >= 0, got " + cpu);
        if (tsNs < 0) throw new IllegalArgumentException("tsNs must be >= 0, got " + tsNs);
        if (flags == null) throw new IllegalArgumentException("flags must not be null (empty when absent)");
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("name must not be empty, got " + name);
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Whether the need-resched flag was set when the event fired ({@code N} in the flags): the scheduler had
     *  decided that the task on the CPU must give way. */
    public boolean needResched() {
        return flags.length() > 1 && (flags.charAt(1) == 'N' || flags.charAt(1) == 'n' || flags.charAt(1) == 'p');
    }

    /** The field as text, or the empty string when the event has no such field. */
    public String field(String key) {
        return fields.getOrDefault(key, "");
    }

    /** The field as a decimal number; -1 when absent or not a number. */
    public long number(String key) {
        String v = fields.get(key);
        if (v == null) return -1;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
