package dev.vmforge.fs;

/** Path rules of the file tree: relative, {@code /}-separated, no {@code .} or {@code ..} segments. */
public final class Paths {
    private Paths() {
    }

    /**
     * Normalizes {@code ./usr//bin/} or {@code /usr/bin} to {@code usr/bin}.
     *
     * @throws UnsafePathException for {@code ..} segments, which could escape the tree
     */
    public static String normalize(String path) {
        if (path == null) {
            throw new UnsafePathException("(null)", "missing path");
        }
        StringBuilder out = new StringBuilder(path.length());
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw new UnsafePathException(path, "'..' would leave the root file system");
            }
            if (segment.indexOf('\0') >= 0) {
                throw new UnsafePathException(path, "NUL byte in path");
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(segment);
        }
        return out.toString();
    }

    /** The parent of a normalized path, or the empty string (the root) for a top-level entry. */
    public static String parent(String normalized) {
        int slash = normalized.lastIndexOf('/');
        return slash < 0 ? "" : normalized.substring(0, slash);
    }

    /** The last segment of a normalized path. */
    public static String name(String normalized) {
        return normalized.substring(normalized.lastIndexOf('/') + 1);
    }
}
