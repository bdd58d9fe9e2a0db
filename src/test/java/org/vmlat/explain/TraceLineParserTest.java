package org.vmlat.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceLineParserTest {
    @Test
    void readsAWakeupLineOfThisMachine() {
        TraceEvent e = TraceLineParser.parse(
                "   vmlat-probe-0-4968    [001] d.h2.  2978.015742: sched_wakeup: comm=vmlat-probe-0 pid=4968 prio=4 target_cpu=001").orElseThrow();
        assertThat(e.comm()).isEqualTo("vmlat-probe-0");
        assertThat(e.pid()).isEqualTo(4968);
        assertThat(e.cpu()).isEqualTo(1);
        assertThat(e.tsNs()).isEqualTo(2_978_015_742_000L);
        assertThat(e.name()).isEqualTo("sched_wakeup");
        assertThat(e.fields()).containsExactly(Map.entry("comm", "vmlat-probe-0"), Map.entry("pid", "4968"), Map.entry("prio", "4"),
                Map.entry("target_cpu", "001"));
    }

    @Test
    void commandNamesWithSpacesAndTheSwitchArrow() {
        TraceEvent e = TraceLineParser.parse(" C1 CompilerThre-4839    [001] d..2.  2978.039429: sched_switch: prev_comm=C1 CompilerThre "
                + "prev_pid=4839 prev_prio=120 prev_state=R+ ==> next_comm=CPU 0/TCG next_pid=4782 next_prio=120").orElseThrow();
        assertThat(e.comm()).isEqualTo("C1 CompilerThre");
        assertThat(e.pid()).isEqualTo(4839);
        assertThat(e.field("prev_comm")).isEqualTo("C1 CompilerThre");
        assertThat(e.field("prev_state")).isEqualTo("R+");
        assertThat(e.field("next_comm")).isEqualTo("CPU 0/TCG");
        assertThat(e.number("next_pid")).isEqualTo(4782);
    }

    @Test
    void softirqBracketsOnlyGroup() {
        TraceEvent e = TraceLineParser.parse("   vmlat-probe-0-4968    [001] ..s..  2978.020015: softirq_entry: vec=7 [action=SCHED]").orElseThrow();
        assertThat(e.fields()).containsExactly(Map.entry("vec", "7"), Map.entry("action", "SCHED"));
    }

    @Test
    void theTimerExpiryKeepsItsNanoseconds() {
        TraceEvent e = TraceLineParser.parse("   vmlat-probe-0-4968    [001] d..1.  2978.015731: hrtimer_start: hrtimer=0000000067607bd6 "
                + "function=hrtimer_wakeup expires=2977015729960 softexpires=2977015729960 mode=ABS was_armed=0").orElseThrow();
        assertThat(e.number("expires")).isEqualTo(2_977_015_729_960L);
        assertThat(e.field("hrtimer")).isEqualTo("0000000067607bd6");
        assertThat(e.field("was_armed")).isEqualTo("0");
    }

    @Test
    void linesWithoutFlagsAndWithTgid() {
        assertThat(TraceLineParser.parse("  <idle>-0     [000]  1.5: local_timer_entry: vector=236").orElseThrow().tsNs())
                .isEqualTo(1_500_000_000L);
        TraceEvent e = TraceLineParser.parse("  bash-77  (   77) [000] d..1.  12.000001: local_timer_exit: vector=236").orElseThrow();
        assertThat(e.pid()).isEqualTo(77);
        assertThat(e.tsNs()).isEqualTo(12_000_001_000L);
    }

    @Test
    void headersAndNoiseGiveNothing() {
        assertThat(TraceLineParser.parse("# tracer: nop")).isEmpty();
        assertThat(TraceLineParser.parse("")).isEmpty();
        assertThat(TraceLineParser.parse("CPU:1 [LOST 12 EVENTS]")).isEmpty();
    }

    /** A PREEMPT_RT kernel prints seven flag columns (need-resched-lazy and preempt-lazy-depth added). */
    @Test
    void theSevenFlagsOfAnRtKernel() {
        TraceEvent e = TraceLineParser.parse("          <idle>-0       [000] dn.h4..    14.380416: sched_wakeup: comm=cyclictest pid=122 prio=4 "
                + "target_cpu=000").orElseThrow();
        assertThat(e.flags()).isEqualTo("dn.h4..");
        assertThat(e.needResched()).isTrue();
        assertThat(e.tsNs()).isEqualTo(14_380_416_000L);
        assertThat(e.number("pid")).isEqualTo(122);
    }
}
