package dev.vmforge.system;

import dev.vmforge.BuildLog;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import dev.vmforge.os.InvalidConfigurationException;
import dev.vmforge.os.Service;
import dev.vmforge.os.User;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SystemFilesTest {
    static final User APP = new User("app", 1000, 1000, "/home/app", "/bin/sh", List.of("docker", "users"));

    private static FileTree generate(FileTree tree, List<User> users, List<Service> services) {
        SystemFiles.addTo(tree, Fixtures.os(users, services), SystemOptions.forVm("1234-abcd", "ext4", 86400 * 20000L),
                BuildLog.silent());
        return tree;
    }

    @Test
    void accountsMergeBaseUsersAndDeclaredOnes() {
        FileTree tree = generate(Fixtures.busyboxTree(), List.of(APP), List.of());
        String passwd = HostTree.text(tree, "etc/passwd");
        assertTrue(passwd.startsWith("root:x:0:0:root:/root:/bin/sh\n"), "no bash in the tree, so root gets /bin/sh: " + passwd);
        assertTrue(passwd.contains("\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"), passwd);
        assertTrue(passwd.endsWith("app:x:1000:1000::/home/app:/bin/sh\n"), passwd);
        String group = HostTree.text(tree, "etc/group");
        assertTrue(group.contains("\nusers:x:100:app\n"), group);
        assertTrue(group.contains("\napp:x:1000:\n"), group);
        assertTrue(group.contains("\ndocker:x:999:app\n"), "a missing supplementary group gets a system gid: " + group);
        FileEntry shadow = tree.get("etc/shadow").orElseThrow();
        assertEquals(0640, shadow.mode());
        assertEquals(42, shadow.gid());
        String shadowText = HostTree.text(tree, "etc/shadow");
        assertTrue(shadowText.startsWith("root:*:20000:0:99999:7:::\n"), shadowText);
        assertTrue(shadowText.contains("\napp:!:20000:"), shadowText);
        FileEntry home = tree.get("home/app").orElseThrow();
        assertEquals(1000, home.uid());
        assertEquals(0755, home.mode());
    }

    @Test
    void packagedAccountsAreKept() {
        FileTree tree = Fixtures.busyboxTree();
        tree.add(FileEntry.file("etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\nmessagebus:x:100:101::/x:/bin/false\n"));
        tree.add(FileEntry.file("etc/group", 0644, "root:x:0:\nmessagebus:x:101:\n"));
        tree.add(FileEntry.file("etc/shadow", 0640, "root:$6$hash:1::::::\nmessagebus:!:1::::::\n"));
        generate(tree, List.of(APP), List.of());
        String passwd = HostTree.text(tree, "etc/passwd");
        assertTrue(passwd.contains("messagebus:x:100:101::/x:/bin/false\n"), passwd);
        assertTrue(HostTree.text(tree, "etc/shadow").startsWith("root:$6$hash:1::::::\nmessagebus:!:1::::::\napp:!:"));
        assertEquals(0600, tree.get("etc/shadow").orElseThrow().mode(), "no shadow group in this system");
        User clash = new User("other", 100, 100, "/home/o", "/bin/sh", List.of());
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> generate(tree, List.of(clash), List.of()));
        assertTrue(e.getMessage().contains("messagebus"), e.getMessage());
    }

    @Test
    void hostFilesFstabAndBusyboxFallbacks() {
        FileTree tree = generate(Fixtures.busyboxTree(), List.of(), List.of());
        assertEquals("demo\n", HostTree.text(tree, "etc/hostname"));
        assertTrue(HostTree.text(tree, "etc/hosts").contains("127.0.1.1\tdemo\n"));
        assertTrue(HostTree.text(tree, "etc/fstab").contains("UUID=1234-abcd / ext4 defaults,errors=remount-ro 0 1\n"));
        assertFalse(SystemFiles.fstab(java.util.Optional.empty(), "ext4").contains("UUID"));
        assertEquals("busybox", tree.get("bin/sh").orElseThrow().linkTarget());
        assertEquals("/bin/busybox", tree.get("sbin/init").orElseThrow().linkTarget());
        assertEquals("Etc/UTC\n", HostTree.text(tree, "etc/timezone"));
        assertFalse(tree.contains("etc/localtime"), "no tzdata: the C library's default UTC applies");
        assertEquals(86400 * 20000L, tree.get("etc/hosts").orElseThrow().mtime());
    }

    @Test
    void mergedUsrAndPackagedShellAreRespected() {
        FileTree tree = new FileTree();
        tree.add(FileEntry.symlink("bin", "usr/bin"));
        tree.add(FileEntry.file("usr/bin/busybox", 0755, "bb"));
        tree.add(FileEntry.file("usr/bin/dash", 0755, "dash"));
        tree.add(FileEntry.symlink("usr/bin/sh", "dash"));
        tree.add(FileEntry.file("usr/share/zoneinfo/Europe/Paris", 0644, "TZif"));
        SystemConfiguration os = Fixtures.os(List.of(), List.of());
        os = new SystemConfiguration(os.hostName(), List.of(), List.of(), List.of(), os.network(), "Europe/Paris");
        SystemFiles.addTo(tree, os, SystemOptions.forContainer(0), BuildLog.silent());
        assertEquals("dash", tree.get("usr/bin/sh").orElseThrow().linkTarget(), "the packaged /bin/sh stays");
        assertEquals(FileEntry.Type.SYMLINK, tree.get("bin").orElseThrow().type(), "bin stays a link");
        assertEquals("/usr/share/zoneinfo/Europe/Paris", tree.get("etc/localtime").orElseThrow().linkTarget());
        assertEquals("Europe/Paris\n", HostTree.text(tree, "etc/timezone"));
    }

    @Test
    void busyboxInitGetsOneLinePerServiceByPolicy() {
        List<Service> services = List.of(Fixtures.service("web", "httpd -f", Service.Restart.ALWAYS),
                Fixtures.service("job", "true", Service.Restart.ON_FAILURE),
                Fixtures.service("once", "true", Service.Restart.NEVER));
        FileTree tree = generate(Fixtures.busyboxTree(), List.of(), services);
        String inittab = HostTree.text(tree, "etc/inittab");
        assertTrue(inittab.contains("::sysinit:/etc/init.d/rcS\n"), inittab);
        assertTrue(inittab.contains("::respawn:/usr/lib/vmforge/run-service web root always\n"), inittab);
        assertTrue(inittab.contains("::once:/usr/lib/vmforge/run-service job root on-failure\n"), inittab);
        assertTrue(inittab.contains("::once:/usr/lib/vmforge/run-service once root never\n"), inittab);
        assertTrue(inittab.contains("::shutdown:/usr/lib/vmforge/shutdown\n"), inittab);
        String rcS = HostTree.text(tree, "etc/init.d/rcS");
        assertTrue(rcS.contains("udhcpc -b") && rcS.contains("vmforge: system ready"), rcS);
        assertTrue(tree.contains("usr/lib/vmforge/container-init"));
        assertTrue(tree.contains("etc/vmforge/services/web.run"));
    }

    @Test
    void systemdSystemsGetUnitsInsteadOfInittab() {
        FileTree tree = Fixtures.busyboxTree();
        tree.add(FileEntry.file("lib/systemd/systemd", 0755, "systemd"));
        tree.add(FileEntry.symlink("sbin/init", "/lib/systemd/systemd"));
        generate(tree, List.of(), List.of(Fixtures.service("web", "httpd -f", Service.Restart.ON_FAILURE)));
        assertFalse(tree.contains("etc/inittab"));
        String unit = HostTree.text(tree, "etc/systemd/system/web.service");
        assertTrue(unit.contains("Restart=on-failure\n") && unit.contains("StandardOutput=journal+console\n"), unit);
        assertEquals("/etc/systemd/system/web.service",
                tree.get("etc/systemd/system/multi-user.target.wants/web.service").orElseThrow().linkTarget());
        assertEquals("/lib/systemd/systemd", tree.get("sbin/init").orElseThrow().linkTarget());
    }

    @Test
    void badServicesAreRejectedNamingTheElement() {
        Service unknownUser = new Service("web", "true", "nobody2", "/", Map.of(), Service.Restart.ALWAYS);
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> generate(Fixtures.busyboxTree(), List.of(), List.of(unknownUser)));
        assertTrue(e.getMessage().contains("nobody2"), e.getMessage());
        Service badEnv = new Service("web", "true", "root", "/", Map.of("A-B", "x"), Service.Restart.ALWAYS);
        assertThrows(InvalidConfigurationException.class, () -> generate(Fixtures.busyboxTree(), List.of(), List.of(badEnv)));
        Service badName = new Service("a b", "true", "root", "/", Map.of(), Service.Restart.ALWAYS);
        assertThrows(InvalidConfigurationException.class, () -> generate(Fixtures.busyboxTree(), List.of(), List.of(badName)));
    }

    @Test
    void rcSLoadsTheRuntimeDriversOfTheKernel() {
        FileTree tree = Fixtures.busyboxTree();
        Fixtures.addKernel(tree, Map.of("kernel/drivers/net/virtio_net.ko", List.of("depends=failover"),
                "kernel/net/core/failover.ko", List.of("depends=")), List.of());
        generate(tree, List.of(), List.of());
        assertEquals("kernel/net/core/failover.ko\nkernel/drivers/net/virtio_net.ko\n",
                HostTree.text(tree, "etc/vmforge/modules"));
    }
}
