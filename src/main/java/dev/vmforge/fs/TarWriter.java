package dev.vmforge.fs;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes a {@link FileTree} as a reproducible POSIX (pax) tar: the same tree always gives the same bytes.
 *
 * <ul>
 *   <li>entries in tree (path byte) order; directories end with {@code /};</li>
 *   <li>every entry gets the same mtime (the build's output timestamp), whatever the tree says, so that
 *       rebuilt packages with new file dates still give identical archives;</li>
 *   <li>numeric owners only (user and group names empty); no atime or ctime;</li>
 *   <li>a pax extended header only where ustar cannot hold a value (paths or link targets over
 *       100 bytes, sizes of 8 GiB and more, ids over 2097151);</li>
 *   <li>hard links: of each group, the first path in order carries the content, the others link to it;</li>
 *   <li>an optional name prefix: {@code ./} (with a {@code ./} root entry, as {@code tar -C root -c .} gives,
 *       for builder inputs) or none (docker layers).</li>
 * </ul>
 * The archive ends with two zero blocks and is not padded to a record size.
 */
public final class TarWriter {
    private static final int BLOCK = 512;
    private static final long MAX_OCTAL_11 = 077777777777L;
    private static final long MAX_OCTAL_7 = 07777777L;

    private final long mtime;
    private final String prefix;

    /** @param mtime seconds since the epoch given to every entry, e.g. {@link OutputTimestamp#parse} */
    public TarWriter(long mtime) {
        this(mtime, "");
    }

    private TarWriter(long mtime, String prefix) {
        if (mtime < 0 || mtime > MAX_OCTAL_11) {
            throw new IllegalArgumentException("mtime out of range: " + mtime);
        }
        this.mtime = mtime;
        this.prefix = prefix;
    }

    /** A writer putting {@code prefix} ({@code "./"} or {@code ""}) before every name. */
    public TarWriter withPrefix(String newPrefix) {
        if (!newPrefix.isEmpty() && !newPrefix.equals("./")) {
            throw new IllegalArgumentException("prefix must be \"./\" or \"\", not \"" + newPrefix + "\"");
        }
        return new TarWriter(mtime, newPrefix);
    }

    /** Writes the whole tree and the end-of-archive blocks; flushes but does not close {@code out}. */
    public void write(FileTree tree, OutputStream out) throws IOException {
        HardLinkGroups links = new HardLinkGroups(tree);
        OutputStream buffered = new BufferedOutputStream(new NonClosingOutputStream(out), 1 << 16);
        if (!prefix.isEmpty()) {
            writeHeader(buffered, prefix, '5', 0755, 0, 0, 0, null, 0, 0);
        }
        for (FileEntry e : tree.entries()) {
            writeEntry(buffered, tree, links, e);
        }
        buffered.write(new byte[2 * BLOCK]);
        buffered.flush();
    }

    private void writeEntry(OutputStream out, FileTree tree, HardLinkGroups links, FileEntry e) throws IOException {
        String name = prefix + e.path();
        switch (e.type()) {
            case DIRECTORY -> writeHeader(out, name + "/", '5', e.mode(), e.uid(), e.gid(), 0, null, 0, 0);
            case SYMLINK -> writeHeader(out, name, '2', e.mode(), e.uid(), e.gid(), 0, e.linkTarget(), 0, 0);
            case CHAR_DEVICE -> writeHeader(out, name, '3', e.mode(), e.uid(), e.gid(), 0, null, e.devMajor(), e.devMinor());
            case BLOCK_DEVICE -> writeHeader(out, name, '4', e.mode(), e.uid(), e.gid(), 0, null, e.devMajor(), e.devMinor());
            case FIFO -> writeHeader(out, name, '6', e.mode(), e.uid(), e.gid(), 0, null, 0, 0);
            case FILE, HARDLINK -> {
                TreeSet<String> group = links.groupOf(e.path());
                if (group != null && !group.first().equals(e.path())) {
                    writeHeader(out, name, '1', e.mode(), e.uid(), e.gid(), 0, prefix + group.first(), 0, 0);
                    return;
                }
                FileEntry file = HardLinkGroups.fileOf(tree, e);
                Content content = file.content();
                long size = content.size();
                writeHeader(out, name, '0', file.mode(), file.uid(), file.gid(), size, null, 0, 0);
                try {
                    content.writeTo(out);
                } catch (IOException ex) {
                    throw new IOException(e.path() + ": " + ex.getMessage(), ex);
                }
                int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
                out.write(new byte[pad]);
            }
        }
    }

    private void writeHeader(OutputStream out, String name, char type, int mode, long uid, long gid, long size,
                             String linkTarget, int major, int minor) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = linkTarget == null ? new byte[0] : linkTarget.getBytes(StandardCharsets.UTF_8);
        Map<String, String> pax = new LinkedHashMap<>();
        if (nameBytes.length > 100) {
            pax.put("path", name);
        }
        if (linkBytes.length > 100) {
            pax.put("linkpath", linkTarget);
        }
        if (size > MAX_OCTAL_11) {
            pax.put("size", Long.toString(size));
        }
        if (uid > MAX_OCTAL_7 || uid < 0) {
            pax.put("uid", Long.toUnsignedString(uid));
        }
        if (gid > MAX_OCTAL_7 || gid < 0) {
            pax.put("gid", Long.toUnsignedString(gid));
        }
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            String paxName = "PaxHeaders/" + name.substring(name.lastIndexOf('/', name.length() - 2) + 1);
            out.write(header(truncate(paxName.getBytes(StandardCharsets.UTF_8)), 'x', 0644, 0, 0, records.length,
                    new byte[0], 0, 0));
            out.write(records);
            out.write(new byte[(BLOCK - records.length % BLOCK) % BLOCK]);
        }
        out.write(header(truncate(nameBytes), type, mode, uid > MAX_OCTAL_7 || uid < 0 ? 0 : uid,
                gid > MAX_OCTAL_7 || gid < 0 ? 0 : gid, size > MAX_OCTAL_11 ? 0 : size, truncate(linkBytes),
                major, minor));
    }

    private byte[] header(byte[] name, char type, int mode, long uid, long gid, long size, byte[] link,
                          int major, int minor) {
        byte[] h = new byte[BLOCK];
        System.arraycopy(name, 0, h, 0, name.length);
        octal(h, 100, 8, mode & 07777);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = (byte) type;
        System.arraycopy(link, 0, h, 157, link.length);
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        octal(h, 329, 8, major);
        octal(h, 337, 8, minor);
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum); // six digits, NUL, then the space already there
        return h;
    }

    /** Writes {@code value} as zero-padded octal filling {@code length - 1} bytes, then NUL. */
    private static void octal(byte[] h, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        int width = length - 1;
        if (digits.length() > width) {
            throw new IllegalArgumentException("value " + value + " does not fit a tar header field");
        }
        for (int i = 0; i < width; i++) {
            int d = i - (width - digits.length());
            h[offset + i] = d < 0 ? (byte) '0' : (byte) digits.charAt(d);
        }
        h[offset + width] = 0;
    }

    private static byte[] truncate(byte[] bytes) {
        return bytes.length <= 100 ? bytes : Arrays.copyOf(bytes, 100);
    }

    /** pax records {@code "LEN key=value\n"}, where LEN counts the whole record including itself. */
    static byte[] paxRecords(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> kv : values.entrySet()) {
            int body = (" " + kv.getKey() + "=" + kv.getValue() + "\n").getBytes(StandardCharsets.UTF_8).length;
            int length = body + Integer.toString(body).length();
            if (Integer.toString(length).length() != Integer.toString(body).length()) {
                length = body + Integer.toString(length).length();
            }
            out.append(length).append(' ').append(kv.getKey()).append('=').append(kv.getValue()).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
