package org.cemiface.plan;

/** A kept inquiry: its id (stable across runs) and the location of its image (any Hadoop path). */
public record Inquiry(String id, String source) implements java.io.Serializable {}
