package org.cemiface.data;

import java.io.Serializable;

/**
 * One labelled image of a dataset: where it is, its class label, and its path relative to the
 * dataset root.
 */
public record ImageEntry(String path, int label, String relativePath) implements Serializable {}
