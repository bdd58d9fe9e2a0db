package org.vmlat.os.check;

import java.util.List;

/**
 * One of the checks an RT engineer runs by hand before trusting a figure, read from a
 * {@link SystemTree} so that a fixture tree tests it. Registered in {@link HostChecks}.
 */
public interface HostCheck {
    /** The findings, usually one; never empty (an unreadable fact is an INFO finding saying so). */
    List<Finding> check(SystemTree tree, CheckScope scope);
}
