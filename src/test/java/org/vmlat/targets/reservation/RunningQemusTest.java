package org.vmlat.targets.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunningQemusTest {
    @Test
    void guestNameIsTheFirstPlainFieldOrGuestEquals() {
        assertThat(RunningQemus.guestName(List.of("qemu-system-x86_64", "-name", "vmlat-guest-vm1,debug-threads=on"))).isEqualTo("vmlat-guest-vm1");
        assertThat(RunningQemus.guestName(List.of("qemu-system-x86_64", "-name", "guest=db,debug-threads=on"))).isEqualTo("db");
        assertThat(RunningQemus.guestName(List.of("qemu-system-x86_64", "-name", "debug-threads=on,guest=web"))).isEqualTo("web");
        assertThat(RunningQemus.guestName(List.of("qemu-system-x86_64", "-m", "64"))).isNull();
        assertThat(RunningQemus.guestName(List.of("qemu-system-x86_64", "-name"))).isNull();
    }
}
