package dev.vmforge.vm;

import dev.vmforge.BuildException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The disk the builder VM returns its exchange folder on: attached last, blank, and written by the guest's init
 * as one tar archive after the script ends ({@code tar -cf /dev/vdX xchg .exit-status} from {@code /}: see
 * {@link BuilderInit}). The host unpacks {@code xchg/...} into the run's exchange folder and the init's
 * {@code .exit-status} beside it. A disk that is still blank means the guest never got that far: the VM died.
 */
final class ExchangeDisk {
    private ExchangeDisk() {
    }

    /** A sparse raw file of {@code bytes}: costs no space until the guest writes to it. */
    static void create(Path file, long bytes) throws IOException {
        Files.deleteIfExists(file);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.setLength(bytes);
        }
    }

    /**
     * Unpacks the tar archive at the start of {@code disk} into {@code folder}: directories and regular files only
     * (a link the guest made could point anywhere on the host; it is skipped and named in the result).
     * A {@code xchg/.exit-status} the script wrote itself is skipped: only the init's top-level one counts.
     *
     * @throws BuildException for a name that is absolute, has a {@code ..} segment or is outside {@code xchg/},
     *                        or a damaged archive
     */
    static Unpacked unpack(Path disk, Path folder) {
        List<String> skipped = new ArrayList<>();
        boolean any = false;
        try (InputStream in = Files.newInputStream(disk);
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                any = true;
                Path target = target(folder, entry.getName(), disk);
                if (target == null) {
                    continue;
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.getLinkFlag() == TarConstants.LF_NORMAL
                        || entry.getLinkFlag() == TarConstants.LF_OLDNORM) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } else {
                    skipped.add(entry.getName());
                }
            }
        } catch (IOException e) {
            throw new BuildException("the exchange disk " + disk + " written by the builder VM is damaged: "
                    + e.getMessage() + "; did the guest run out of space or stop while writing it?", e);
        }
        return new Unpacked(any, List.copyOf(skipped));
    }

    /** @param archiveFound false: the disk was blank */
    record Unpacked(boolean archiveFound, List<String> skipped) {
    }

    /** Where an archive member goes, or null for one that is skipped (the folder itself). */
    private static Path target(Path folder, String name, Path disk) {
        String relative = name.startsWith("./") ? name.substring(2) : name;
        while (relative.endsWith("/")) {
            relative = relative.substring(0, relative.length() - 1);
        }
        if (relative.startsWith("/") || relative.indexOf('\0') >= 0) {
            throw refused(disk, name, "an absolute name");
        }
        for (String segment : relative.split("/")) {
            if (segment.equals("..")) {
                throw refused(disk, name, "a name with '..'");
            }
        }
        String prefix = ExchangeInitrd.GUEST_FOLDER + "/";
        if (relative.equals(ExchangeInitrd.GUEST_FOLDER) || relative.equals(prefix + BuilderInit.EXIT_STATUS_FILE)) {
            return null;
        }
        if (relative.startsWith(prefix)) {
            relative = relative.substring(prefix.length());
        } else if (!relative.equals(BuilderInit.EXIT_STATUS_FILE)) {
            throw refused(disk, name, "a name outside " + prefix);
        }
        Path target = folder.resolve(relative).normalize();
        if (!target.startsWith(folder) || target.equals(folder)) {
            throw refused(disk, name, "a name outside the exchange folder");
        }
        return target;
    }

    private static BuildException refused(Path disk, String name, String what) {
        return new BuildException("the exchange disk " + disk + " written by the builder VM holds " + what + ": '"
                + name + "'; refusing to unpack it");
    }
}
