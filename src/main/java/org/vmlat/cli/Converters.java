package org.vmlat.cli;

import java.util.Iterator;
import java.util.List;
import org.vmlat.latency.Durations;
import org.vmlat.os.CpuList;
import org.vmlat.report.ExportFormat;
import org.vmlat.report.ExportFormats;
import org.vmlat.report.WorstCaseTable.Metric;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value converters; picocli names the option in the error message. */
final class Converters {
    private Converters() {}

    /** Bare numbers are microseconds, as in cyclictest's -i and -b. */
    static final class Micros implements ITypeConverter<Long> {
        public Long convert(String v) {
            return parse(v, Durations.Unit.US);
        }
    }

    /** A run's number; RUN:SCENARIO or anything else is refused saying what the command takes instead. */
    static final class RunNumber implements ITypeConverter<Long> {
        public Long convert(String v) {
            String t = v.strip();
            if (t.matches("\\d{1,18}")) return Long.parseLong(t);
            if (t.matches("\\d{1,18}:\\d{1,9}")) {
                String run = t.substring(0, t.indexOf(':'));
                throw new TypeConversionException("'" + v + "' is scenario " + t.substring(t.indexOf(':') + 1) + " of run " + run
                        + ": this command takes a whole run (vmlat runs show " + run + " lists its scenarios; vmlat report and tail take RUN:SCENARIO)");
            }
            throw new TypeConversionException("expected a run number (vmlat runs list), got '" + v + "'");
        }
    }

    /** Bare numbers are seconds, as in cyclictest's -D. */
    static final class Seconds implements ITypeConverter<Long> {
        public Long convert(String v) {
            return parse(v, Durations.Unit.S);
        }
    }

    static final class Cpus implements ITypeConverter<List<Integer>> {
        public List<Integer> convert(String v) {
            try {
                return CpuList.parse(v);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A metric as users write it (max, p99.9, mean); picocli names the option and the value when it is unknown. */
    static final class MetricName implements ITypeConverter<Metric> {
        public Metric convert(String v) {
            try {
                return Metric.parse(v);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** An export format by its name; picocli names the option when there is none. */
    static final class ExportFormatName implements ITypeConverter<ExportFormat> {
        public ExportFormat convert(String v) {
            try {
                return ExportFormats.named(v);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** The names of the export formats, for help and shell completion. */
    static final class ExportFormatNames implements Iterable<String> {
        public Iterator<String> iterator() {
            return ExportFormats.all().stream().map(ExportFormat::name).iterator();
        }
    }

    /** A duration for an option, or a usage error naming the option (bare numbers are us). */
    static long micros(String option, String v) {
        try {
            return Durations.parseNs(v, Durations.Unit.US);
        } catch (IllegalArgumentException e) {
            throw new VmlatException(ExitCodes.USAGE, option + ": " + e.getMessage());
        }
    }

    private static long parse(String v, Durations.Unit unit) {
        try {
            return Durations.parseNs(v, unit);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
