package org.vmlat.targets.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.os.DeadlineScheduling.Attributes;
import org.vmlat.os.ProcessIdentity;

class RestoreRecordTest {
    static final String TEXT = """
            vmlat-reservation-restore 1
            owner 4242-99
            qemu 5151-100
            reservation cfs:2ms/10ms
            thread 5153 0 0 0 0 0 0 0
            thread 5154 1 0 0 90 0 0 0
            cgroup 5153 /
            cgroup 5154 /machine/a
            created /vmlat-reservation-5151-100
            """;

    @Test
    void roundTripsThroughItsFile(@TempDir Path dir) throws Exception {
        RestoreRecord r = RestoreRecord.parse("f", TEXT);
        assertThat(r.owner()).isEqualTo(new ProcessIdentity(4242, 99));
        assertThat(r.threads()).containsEntry(5154, new Attributes(1, 0, 0, 90, 0, 0, 0));
        assertThat(r.cgroups()).isEqualTo(Map.of(5153, "/", 5154, "/machine/a"));
        assertThat(r.text()).isEqualTo(TEXT);
        Path f = RestoreRecord.file(dir, r.qemu());
        assertThat(f.getFileName().toString()).isEqualTo("qemu-5151-100.restore");
        r.write(f);
        assertThat(RestoreRecord.read(f)).contains(r);
    }

    @Test
    void anOwnerlessRecordIsOneOfDesignApply() {
        RestoreRecord r = RestoreRecord.parse("f", TEXT.replace("owner 4242-99", "owner -"));
        assertThat(r.owner()).isNull();
        assertThat(r.text()).contains("owner -\n");
    }

    @Test
    void badLinesAreNamedWithFileAndLine() {
        assertThatThrownBy(() -> RestoreRecord.parse("f", TEXT.replace("thread 5154 1 0 0 90 0 0 0", "thread 5154 1 0")))
                .hasMessageStartingWith("f:6: thread: expected TID POLICY");
        assertThatThrownBy(() -> RestoreRecord.parse("f", TEXT.replace("qemu 5151-100", "qemu x")))
                .hasMessageStartingWith("f:3: expected PID-START");
        assertThatThrownBy(() -> RestoreRecord.parse("f", TEXT.replace("/machine/a", "/../etc"))).hasMessageContaining("without spaces or \"..\"");
        assertThatThrownBy(() -> RestoreRecord.parse("f", "something else\n")).hasMessageStartingWith("f:1: expected");
    }
}
