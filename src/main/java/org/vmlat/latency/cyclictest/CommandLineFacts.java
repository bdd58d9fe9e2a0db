package org.vmlat.latency.cyclictest;

/**
 * The few facts a cyclictest command line tells that its JSON does not: base interval
 * ({@code -i}, default 1000 us), distance between thread intervals ({@code -d}, default 500 us;
 * forced to 0 by {@code -h}/{@code -H}, as cyclictest does) and priority ({@code -p}).
 */
record CommandLineFacts(long intervalUs, long distanceUs, int priority) {

    static CommandLineFacts parse(String cmdline) {
        long interval = 1000, distance = 500;
        int prio = -1;
        boolean histogram = false;
        String[] a = cmdline.trim().split("\\s+");
        for (int k = 0; k < a.length; k++) {
            String s = a[k];
            String next = k + 1 < a.length ? a[k + 1] : "";
            Long v;
            if ((v = value(s, next, "-i", "--interval")) != null) interval = v;
            else if ((v = value(s, next, "-d", "--distance")) != null) distance = v;
            else if ((v = value(s, next, "-p", "--priority")) != null) prio = v.intValue();
            if (s.startsWith("-h") || s.startsWith("--histogram") || s.startsWith("-H") || s.startsWith("--histofall")) {
                histogram = true;
            }
        }
        return new CommandLineFacts(interval, histogram ? 0 : distance, prio);
    }

    /** Interval of thread {@code t}: cyclictest gives thread t the base interval plus t distances. */
    long intervalNs(int t) {
        return (intervalUs + t * distanceUs) * 1000;
    }

    private static Long value(String s, String next, String shortOpt, String longOpt) {
        try {
            if (s.equals(shortOpt) || s.equals(longOpt)) return Long.parseLong(next);
            if (s.startsWith(longOpt + "=")) return Long.parseLong(s.substring(longOpt.length() + 1));
            if (s.startsWith(shortOpt) && !s.startsWith("--") && s.length() > shortOpt.length()) {
                return Long.parseLong(s.substring(shortOpt.length()));
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }
}
