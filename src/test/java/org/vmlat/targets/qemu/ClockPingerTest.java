package org.vmlat.targets.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.targets.KernelTrace;

/**
 * The clock round trips against a guest side played by a socket here (QEMU's socket chardev is what the pinger
 * connects to): a kept guest may first answer a number of the scenario before, which must not be taken for this
 * scenario's nor shift the pairing of the ones that follow.
 */
class ClockPingerTest {
    /** How long the played guest takes to echo: each round trip is at least this long when the pairing is right. */
    private static final long ECHO_MS = 10;

    @Test
    void aStaleEchoIsPassedOverAndTheNumbersStartWhereTheyAreTold(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("sync.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            playGuest(server, "1000057\n", 0); // last scenario's number, read too late
            ClockPinger p = ClockPinger.start(socket, 5, 2_000_000);
            Thread.sleep(600);
            List<KernelTrace.RoundTrip> trips = p.stop();
            System.out.println("ClockPingerTest: " + trips.size() + " round trips, numbers " + trips.get(0).seq() + ".." + trips.get(trips.size() - 1).seq()
                    + ", shortest " + trips.stream().mapToLong(t -> t.hostRecvNs() - t.hostSendNs()).min().orElse(-1) / 1000 + " us");
            assertThat(trips).hasSizeGreaterThanOrEqualTo(5);
            for (int i = 0; i < trips.size(); i++) {
                assertThat(trips.get(i).seq()).isEqualTo(2_000_000 + i);
                assertThat(trips.get(i).hostRecvNs() - trips.get(i).hostSendNs()).as("round trip " + i).isGreaterThanOrEqualTo(ECHO_MS * 1_000_000);
            }
        }
    }

    /**
     * The guest's port drops a number that arrives while its reader closes the port (it read the host as absent just
     * before): the pinger must give that number up and go on, not wait for its echo until the scenario ends.
     */
    @Test
    void numbersTheGuestDroppedAreGivenUpAndTheRoundTripsGoOn(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("sync.sock");
        int dropped = 2;
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            playGuest(server, "", dropped);
            ClockPinger p = ClockPinger.start(socket, 5, 3_000_000);
            Thread.sleep(dropped * ClockPinger.ANSWER_NS / 1_000_000 + 600);
            long unanswered = p.unanswered();
            List<KernelTrace.RoundTrip> trips = p.stop();
            System.out.println("ClockPingerTest: " + unanswered + " numbers given up, then " + trips.size() + " round trips from number "
                    + (trips.isEmpty() ? "-" : trips.get(0).seq()));
            assertThat(unanswered).isEqualTo(dropped);
            assertThat(trips).hasSizeGreaterThanOrEqualTo(5);
            for (int i = 0; i < trips.size(); i++) assertThat(trips.get(i).seq()).isEqualTo(3_000_000 + dropped + i);
        }
    }

    /**
     * The guest's side of the sync port: it writes {@code first}, drops the first {@code dropped} numbers it reads
     * and echoes every later one after {@link #ECHO_MS}, until the pinger closes.
     */
    private static void playGuest(ServerSocketChannel server, String first, int dropped) {
        Thread guest = new Thread(() -> {
            try (SocketChannel c = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.US_ASCII));
                OutputStream out = Channels.newOutputStream(c);
                out.write(first.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String n;
                for (int read = 0; (n = in.readLine()) != null; read++) {
                    if (read < dropped) continue;
                    Thread.sleep(ECHO_MS);
                    out.write((n + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the pinger closed
            }
        });
        guest.setDaemon(true);
        guest.start();
    }
}
