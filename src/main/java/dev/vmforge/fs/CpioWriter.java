package dev.vmforge.fs;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes a {@link FileTree} as a cpio "newc" archive ({@code 070701}), the format the Linux kernel unpacks
 * as an initramfs. Reproducible: entries in tree order, inode numbers counted from 1 in that order (hard
 * links share their group's number), every mtime the same, device fields of the archive zero.
 *
 * <p>Hard links: all members of a group carry the group's link count; the data is stored with the last
 * member only, as GNU cpio writes it (the kernel creates the first, links the others and writes the data
 * when it comes). Parent directories always precede their contents. Ends with {@code TRAILER!!!}.
 * Compress the output with {@link Compression} if wanted (the kernel accepts gzip and zstd).
 */
public final class CpioWriter {
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;

    private final long mtime;

    /** @param mtime seconds since the epoch given to every entry */
    public CpioWriter(long mtime) {
        if (mtime < 0 || mtime > 0xffffffffL) {
            throw new IllegalArgumentException("mtime out of range for cpio newc: " + mtime);
        }
        this.mtime = mtime;
    }

    /** Writes the tree and the trailer; flushes but does not close {@code out}. */
    public void write(FileTree tree, OutputStream out) throws IOException {
        HardLinkGroups links = new HardLinkGroups(tree);
        Map<String, Integer> subdirectories = new HashMap<>();
        for (FileEntry e : tree.entries()) {
            if (e.isDirectory()) {
                subdirectories.merge(Paths.parent(e.path()), 1, Integer::sum);
            }
        }
        OutputStream buffered = new BufferedOutputStream(new NonClosingOutputStream(out), 1 << 16);
        Map<String, Long> inodeOfGroup = new HashMap<>();
        long nextInode = 1;
        for (FileEntry e : tree.entries()) {
            TreeSet<String> group = links.groupOf(e.path());
            long inode;
            if (group == null) {
                inode = nextInode++;
            } else {
                Long known = inodeOfGroup.get(group.first());
                inode = known != null ? known : nextInode++;
                inodeOfGroup.putIfAbsent(group.first(), inode);
            }
            writeEntry(buffered, tree, e, inode, group, subdirectories.getOrDefault(e.path(), 0));
        }
        writeHeader(buffered, "TRAILER!!!", 0, 0, 0, 0, 1, 0, 0, 0);
        buffered.flush();
    }

    private void writeEntry(OutputStream out, FileTree tree, FileEntry e, long inode, TreeSet<String> group,
                            int subdirs) throws IOException {
        switch (e.type()) {
            case DIRECTORY -> writeHeader(out, e.path(), inode, S_IFDIR | e.mode(), e.uid(), e.gid(), 2 + subdirs, 0, 0, 0);
            case SYMLINK -> {
                byte[] target = e.linkTarget().getBytes(StandardCharsets.UTF_8);
                writeHeader(out, e.path(), inode, S_IFLNK | e.mode(), e.uid(), e.gid(), 1, target.length, 0, 0);
                out.write(target);
                pad(out, target.length);
            }
            case CHAR_DEVICE -> writeHeader(out, e.path(), inode, S_IFCHR | e.mode(), e.uid(), e.gid(), 1, 0,
                    e.devMajor(), e.devMinor());
            case BLOCK_DEVICE -> writeHeader(out, e.path(), inode, S_IFBLK | e.mode(), e.uid(), e.gid(), 1, 0,
                    e.devMajor(), e.devMinor());
            case FIFO -> writeHeader(out, e.path(), inode, S_IFIFO | e.mode(), e.uid(), e.gid(), 1, 0, 0, 0);
            case FILE, HARDLINK -> {
                FileEntry file = HardLinkGroups.fileOf(tree, e);
                int nlink = group == null ? 1 : group.size();
                boolean carriesData = group == null || group.last().equals(e.path());
                long size = carriesData ? file.content().size() : 0;
                if (size > 0xffffffffL) {
                    throw new IOException(e.path() + ": cpio newc cannot hold files of 4 GiB or more");
                }
                writeHeader(out, e.path(), inode, S_IFREG | file.mode(), file.uid(), file.gid(), nlink, size, 0, 0);
                if (carriesData) {
                    file.content().writeTo(out);
                    pad(out, size);
                }
            }
        }
    }

    private void writeHeader(OutputStream out, String name, long inode, int mode, long uid, long gid, long nlink,
                             long size, int rdevMajor, int rdevMinor) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder(110).append("070701");
        for (long field : new long[] {inode, mode, uid, gid, nlink, mtime, size, 0, 0, rdevMajor, rdevMinor,
                nameBytes.length + 1, 0}) {
            String hex = Long.toHexString(field).toUpperCase();
            if (hex.length() > 8) {
                throw new IOException(name + ": value " + field + " does not fit a cpio newc header");
            }
            h.append("0".repeat(8 - hex.length())).append(hex);
        }
        out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(nameBytes);
        out.write(0);
        pad(out, 110 + nameBytes.length + 1);
    }

    private static void pad(OutputStream out, long written) throws IOException {
        int pad = (int) ((4 - written % 4) % 4);
        for (int i = 0; i < pad; i++) {
            out.write(0);
        }
    }
}
