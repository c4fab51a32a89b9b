package dev.vmforge.debian;

/**
 * Which packages besides the requested ones make up the system.
 * {@code AUTO} is not here: the caller decides it (it needs to know whether the chosen packages have
 * maintainer scripts, which needs the .debs) and then asks for one of these.
 */
public enum Base {
    /** Only the requested packages and their dependencies (the caller adds busybox). */
    MINIMAL,
    /** Plus every {@code Essential: yes} package, as dpkg assumes them present. */
    ESSENTIAL,
    /** Plus every {@code Priority: required} package: what debootstrap's minbase variant installs. */
    MINBASE
}
