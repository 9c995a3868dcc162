package org.cemiface.plan;

import java.io.Serializable;

/** A kept inquiry: its id (stable across runs) and the location of its image (any Hadoop path). */
public record Inquiry(String id, String source) implements Serializable {}
