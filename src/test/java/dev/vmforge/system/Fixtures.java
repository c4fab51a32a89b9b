package dev.vmforge.system;

import dev.vmforge.fs.Content;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.os.Service;
import dev.vmforge.os.User;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Synthetic systems and kernel modules for the tests. */
final class Fixtures {
    static final String KVER = "6.1.0-9-test";

    private Fixtures() {
    }

    static SystemConfiguration os(List<User> users, List<Service> services) {
        return SystemConfiguration.of(new OperatingSystem("demo", null, "linux-image-test", List.of(),
                OperatingSystem.Base.AUTO, List.of("busybox-static"), false, users, List.of(), Optional.empty(),
                services, OperatingSystem.Network.DHCP, "UTC"));
    }

    static Service service(String name, String command, Service.Restart restart) {
        return new Service(name, command, "root", "/", Map.of(), restart);
    }

    /** A tree with a (fake) busybox only. */
    static FileTree busyboxTree() {
        FileTree tree = new FileTree();
        tree.add(FileEntry.file("bin/busybox", 0755, "not really busybox"));
        return tree;
    }

    /** Adds a kernel with modules whose .modinfo says what modinfo lines say; builtins listed separately. */
    static void addKernel(FileTree tree, Map<String, List<String>> modules, List<String> builtin) {
        tree.add(FileEntry.file("boot/vmlinuz-" + KVER, 0644, "kernel"));
        String dir = "lib/modules/" + KVER + "/";
        modules.forEach((path, info) -> tree.add(FileEntry.file(dir + path, 0644, Content.of(elfModule(info)))));
        StringBuilder b = new StringBuilder();
        builtin.forEach(p -> b.append(p).append('\n'));
        tree.add(FileEntry.file(dir + "modules.builtin", 0644, b.toString()));
    }

    /** A minimal ELF64 little-endian relocatable file with section headers [null, .shstrtab, .modinfo]. */
    static byte[] elfModule(List<String> modinfo) {
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        for (String kv : modinfo) {
            info.writeBytes(kv.getBytes(StandardCharsets.UTF_8));
            info.write(0);
        }
        byte[] shstr = "\0.shstrtab\0.modinfo\0".getBytes(StandardCharsets.US_ASCII);
        byte[] mi = info.toByteArray();
        int shstrOff = 64;
        int miOff = shstrOff + shstr.length;
        int shOff = (miOff + mi.length + 7) & ~7;
        ByteBuffer b = ByteBuffer.allocate(shOff + 3 * 64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(16, (short) 1); // ET_REL
        b.putShort(18, (short) 62); // x86-64
        b.putLong(0x28, shOff);
        b.putShort(0x34, (short) 64);
        b.putShort(0x3A, (short) 64);
        b.putShort(0x3C, (short) 3);
        b.putShort(0x3E, (short) 1);
        b.position(shstrOff);
        b.put(shstr);
        b.put(mi);
        section(b, shOff + 64, 1, 3, shstrOff, shstr.length);
        section(b, shOff + 128, 11, 1, miOff, mi.length);
        return b.array();
    }

    private static void section(ByteBuffer b, int at, int name, int type, long offset, long size) {
        b.putInt(at, name);
        b.putInt(at + 4, type);
        b.putLong(at + 0x18, offset);
        b.putLong(at + 0x20, size);
    }
}
