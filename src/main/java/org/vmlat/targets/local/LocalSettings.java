package org.vmlat.targets.local;

import org.vmlat.targets.TargetSettings;

/** This machine takes no settings: the plan's probe and load settings are all it needs. */
public record LocalSettings() implements TargetSettings {}
