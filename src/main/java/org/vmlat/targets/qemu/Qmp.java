package org.vmlat.targets.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Just enough of the QEMU Machine Protocol to learn the vCPU threads' ids. */
final class Qmp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Qmp() {}

    /** The host thread id of every vCPU, in vCPU order; waits up to {@code timeoutMs} for the socket. */
    static List<Integer> vcpuThreads(Path socket, long timeoutMs) throws IOException, InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (!Files.exists(socket)) {
            if (System.currentTimeMillis() > end) throw new IOException("QMP socket " + socket + " did not appear");
            Thread.sleep(20);
        }
        SocketChannel ch = null;
        while (ch == null) {
            SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                c.connect(UnixDomainSocketAddress.of(socket));
                ch = c;
            } catch (IOException e) {
                // QEMU binds the socket before it listens: a busy host shows the gap
                c.close();
                if (System.currentTimeMillis() > end) throw new IOException("QMP socket " + socket + ": " + e.getMessage());
                Thread.sleep(20);
            }
        }
        try (SocketChannel open = ch) {
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(open), StandardCharsets.UTF_8));
            var out = Channels.newOutputStream(open);
            in.readLine(); // greeting
            out.write("{\"execute\":\"qmp_capabilities\"}\n".getBytes(StandardCharsets.UTF_8));
            reply(in);
            out.write("{\"execute\":\"query-cpus-fast\"}\n".getBytes(StandardCharsets.UTF_8));
            JsonNode r = reply(in);
            List<Integer> tids = new ArrayList<>();
            for (JsonNode cpu : r.path("return")) tids.add(cpu.path("thread-id").asInt());
            return tids;
        }
    }

    private static JsonNode reply(BufferedReader in) throws IOException {
        while (true) {
            String line = in.readLine();
            if (line == null) throw new IOException("QMP closed");
            JsonNode n = JSON.readTree(line);
            if (n.has("return") || n.has("error")) {
                if (n.has("error")) throw new IOException("QMP: " + n.get("error"));
                return n;
            }
        }
    }
}
