package org.vmlat.os.check;

/** One line of {@code vmlat doctor}: what was checked, how it stands, and what to do about it. */
public record Finding(Level level, String check, String finding, String advice) {
    public enum Level { OK, WARN, FAIL, INFO }
}
