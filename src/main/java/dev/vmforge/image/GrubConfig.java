package dev.vmforge.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code /boot/grub/grub.cfg} of the image: serial console, no menu delay, one entry that boots
 * the kernel with the root file system found by UUID (GRUB's {@code search}, and the initrd's
 * {@code root=UUID=}), so the image boots whatever the disk is called on the target machine.
 *
 * <p>GRUB reads its configuration with a shell-like lexer: {@code | & ; < > # $ { } * ? [ ]} and the like would be
 * taken as syntax (a {@code |} left the machine at the {@code grub>} prompt), so every kernel argument with a
 * character outside a plain set is written in single quotes, inside which GRUB interprets nothing. Blanks, quotes
 * and backslashes are refused: GRUB passes quotes and backslashes to the kernel escaped (the POM's reader refuses
 * them first, naming the element).
 *
 * @param kernel          absolute path inside the root file system, e.g. {@code /boot/vmlinuz-6.1.0-56-amd64}
 * @param initrd          absolute path inside the root file system, e.g. {@code /boot/initrd.img-6.1.0-56-amd64}
 * @param kernelArguments the user's {@code <kernelArguments>}, appended after the ones GRUB needs
 */
public record GrubConfig(String title, Root root, String kernel, String initrd, List<String> kernelArguments) {
    /** Words GRUB's lexer reads as they are written. */
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    /**
     * How GRUB and the initrd find the root file system.
     *
     * @param module GRUB's file system module
     * @param search GRUB's {@code search} options, setting {@code root}
     * @param kernel the kernel's {@code root=} and, for a file system other than ext4, {@code rootfstype=}
     */
    public record Root(String module, String search, List<String> kernel) {
        /** An ext2/3/4 root, by its file system UUID. */
        public static Root uuid(UUID uuid) {
            return new Root("ext2", "--fs-uuid --set=root " + uuid, List.of("root=UUID=" + uuid));
        }

        /** The ISO 9660 file system of a CD or hybrid USB stick, by its volume ID. */
        public static Root isoVolume(String volumeId) {
            return new Root("iso9660", "--label --set=root " + volumeId,
                    List.of("root=LABEL=" + volumeId, "rootfstype=iso9660"));
        }
    }

    /** An ext2/3/4 root found by UUID. */
    public GrubConfig(String title, UUID rootUuid, String kernel, String initrd, List<String> kernelArguments) {
        this(title, Root.uuid(Objects.requireNonNull(rootUuid, "rootUuid")), kernel, initrd, kernelArguments);
    }

    public GrubConfig {
        Objects.requireNonNull(root, "root");
        requireAbsolute(kernel, "kernel");
        requireAbsolute(initrd, "initrd");
        kernelArguments = List.copyOf(kernelArguments);
        for (String argument : kernelArguments) {
            if (argument.isEmpty() || argument.chars().anyMatch(c -> c <= ' ' || c == 0x7f || "\"'\\".indexOf(c) >= 0)) {
                throw new IllegalArgumentException("not one kernel argument that GRUB can pass on unchanged: " + argument);
            }
        }
        if (title.contains("\"") || title.contains("\n")) {
            throw new IllegalArgumentException("menu title must not contain quotes or newlines: " + title);
        }
    }

    /** The kernel command line: the root, read-only until init remounts it, console on the first serial port. */
    public List<String> commandLine() {
        List<String> args = new ArrayList<>(root.kernel());
        args.addAll(List.of("ro", "console=ttyS0", "panic=-1"));
        args.addAll(kernelArguments);
        return args;
    }

    public String text() {
        return "serial --unit=0 --speed=115200\n"
                + "terminal_input serial console\n"
                + "terminal_output serial console\n"
                + "set timeout=0\n"
                + "set default=0\n"
                + "insmod part_gpt\n"
                + "insmod part_msdos\n"
                + "insmod " + root.module() + "\n"
                + "search --no-floppy " + root.search() + "\n"
                + "menuentry \"" + title + "\" {\n"
                + "  linux " + kernel + " " + commandLine().stream().map(GrubConfig::quoted).collect(Collectors.joining(" "))
                + "\n"
                + "  initrd " + initrd + "\n"
                + "}\n";
    }

    /** The word as GRUB's lexer must see it to pass it on unchanged: as it is, or in single quotes. */
    static String quoted(String word) {
        return PLAIN_WORD.matcher(word).matches() ? word : "'" + word + "'";
    }

    private static void requireAbsolute(String path, String what) {
        if (path == null || !path.startsWith("/") || path.contains(" ") || path.contains("\n")) {
            throw new IllegalArgumentException(what + " must be an absolute path without spaces: " + path);
        }
    }
}
