package org.vmlat.latency.cyclictest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.vmlat.latency.MeasurementResult;

/** Real cyclictest outputs captured on a Debian 12 VM (see the README beside them). */
final class Fixtures {
    private Fixtures() {}

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/org/vmlat/latency/" + name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static BufferedReader reader(String name) {
        return new BufferedReader(new StringReader(text(name)));
    }

    static MeasurementResult imported(String name, TextUnit unit) {
        return CyclictestImporter.read(name, new BufferedReader(new InputStreamReader(
                Fixtures.class.getResourceAsStream("/org/vmlat/latency/" + name), StandardCharsets.UTF_8)), unit, 10);
    }

    static MeasurementResult imported(String name) {
        return CyclictestImporter.read(name, new BufferedReader(new InputStreamReader(
                Fixtures.class.getResourceAsStream("/org/vmlat/latency/" + name), StandardCharsets.UTF_8)), TextUnit.MICROSECONDS, 10);
    }
}
