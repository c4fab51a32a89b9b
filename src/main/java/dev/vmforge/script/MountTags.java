package dev.vmforge.script;

import dev.vmforge.Sha256;

import java.nio.file.Path;

/**
 * 9p mount tags for host directories. QEMU and the guest kernel accept a tag of at most 31 bytes; the tag goes
 * on the kernel command line and into QEMU's option syntax, so it must also be plain ASCII without {@code /},
 * {@code ,}, {@code :}, spaces, and must not start with {@code _}.
 *
 * <p>A tag is a short readable hint (the directory's name, reduced to letters, digits and {@code -}) followed by
 * 80 bits of the SHA-256 of the absolute path: distinct paths get distinct tags however alike their names are,
 * and the guest's {@code mount} output still says which directory is which.
 */
public final class MountTags {
    /** The limit the Linux 9p client and QEMU's virtio-9p device put on a tag. */
    public static final int MAX_BYTES = 31;
    private static final int HASH_HEX_DIGITS = 20;
    private static final int HINT_CHARACTERS = MAX_BYTES - HASH_HEX_DIGITS - 1;

    private MountTags() {
    }

    /** The tag of a host directory: the same path (made absolute and normalized) always gives the same tag. */
    public static String forPath(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path name = absolute.getFileName();
        return tag(name == null ? "" : name.toString(), absolute.toString());
    }

    /**
     * The tag for the {@code ordinal}-th device exporting the same directory (0 is {@link #forPath}): a directory
     * exported twice needs two tags, because the guest can mount a 9p channel only once.
     */
    public static String forPath(Path path, int ordinal) {
        if (ordinal == 0) {
            return forPath(path);
        }
        Path absolute = path.toAbsolutePath().normalize();
        Path name = absolute.getFileName();
        return tag(name == null ? "" : name.toString(), absolute + "\0" + ordinal);
    }

    private static String tag(String name, String key) {
        return hint(name) + "-" + Sha256.hex(key).substring(0, HASH_HEX_DIGITS);
    }

    /** Letters and digits of the name, other runs of characters as one {@code -}; "share" when nothing is left. */
    private static String hint(String name) {
        String reduced = name.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (reduced.isEmpty()) {
            reduced = "share";
        }
        if (reduced.length() > HINT_CHARACTERS) {
            reduced = reduced.substring(0, HINT_CHARACTERS).replaceAll("-+$", "");
        }
        return reduced;
    }
}
