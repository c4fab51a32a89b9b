package dev.vmforge.store;

/**
 * One file of a finished store entry as its manifest records it.
 *
 * @param path   relative to the entry, with {@code /}
 * @param sha256 lower-case hex
 */
public record EntryFile(String path, long size, String sha256) {
}
