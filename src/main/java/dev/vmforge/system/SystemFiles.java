package dev.vmforge.system;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.fs.Content;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import dev.vmforge.os.FileSpec;
import dev.vmforge.os.InvalidConfigurationException;
import dev.vmforge.os.Service;
import dev.vmforge.os.User;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Everything of the booted system that no package provides, generated from the model into the unpacked tree:
 * accounts, host name, hosts, fstab, time zone, resolv.conf, home directories, {@code /bin/sh} and
 * {@code /sbin/init} falling back to busybox, the init configuration (busybox init, or systemd units when
 * systemd is the init), the service scripts, the container entrypoint and finally the POM's {@code <files>}.
 */
public final class SystemFiles {
    private static final String BUSYBOX_INIT = "/bin/busybox";

    private SystemFiles() {
    }

    /** The container's default entrypoint: the system's init in container mode. */
    public static final String CONTAINER_ENTRYPOINT = "/" + ContainerInit.PATH;

    public static void addTo(FileTree tree, SystemConfiguration os, SystemOptions options, BuildLog log) {
        new Generator(tree, os, options, log).run();
    }

    /** {@code /etc/fstab}: the root file system by UUID for a disk image, no entries for a container. */
    public static String fstab(Optional<String> rootUuid, String rootFsType) {
        StringBuilder out = new StringBuilder("# <file system> <mount point> <type> <options> <dump> <pass>\n");
        rootUuid.ifPresent(uuid -> out.append("UUID=").append(uuid).append(" / ").append(rootFsType)
                .append(" defaults,errors=remount-ro 0 1\n"));
        return out.toString();
    }

    private static final class Generator {
        private final FileTree tree;
        private final SystemConfiguration os;
        private final SystemOptions options;
        private final BuildLog log;

        /**
         * The directories every Linux system mounts or writes to at boot. Debian's base-files ships them,
         * but a minimal system has no base-files: without /proc, /dev and /run the init cannot start.
         */
        private void directories() {
            for (String dir : List.of("proc", "sys", "dev", "run", "tmp", "root", "home", "mnt", "etc", "var",
                    "var/log", "var/tmp", "var/lib", "var/cache", "usr/local/bin", "usr/local/sbin")) {
                if (!TreeLookup.exists(tree, dir)) {
                    int mode = dir.equals("tmp") || dir.equals("var/tmp") ? 01777 : dir.equals("root") ? 0700 : 0755;
                    tree.add(FileEntry.directory(dir, mode).withMtime(options.mtime()));
                }
            }
            // the kernel opens /dev/console for init before devtmpfs is mounted; containers get /dev from
            // the runtime (and rootless runtimes cannot unpack device nodes)
            if (options.rootUuid().isPresent() && !TreeLookup.exists(tree, "dev/console")) {
                tree.add(new FileEntry("dev/console", FileEntry.Type.CHAR_DEVICE, 0600, 0, 0, options.mtime(), null, 5, 1,
                        null));
                tree.add(new FileEntry("dev/null", FileEntry.Type.CHAR_DEVICE, 0666, 0, 0, options.mtime(), null, 1, 3,
                        null));
            }
        }

        Generator(FileTree tree, SystemConfiguration os, SystemOptions options, BuildLog log) {
            this.tree = tree;
            this.os = os;
            this.options = options;
            this.log = log;
        }

        void run() {
            directories();
            Accounts accounts = accounts();
            etc("etc/hostname", 0644, os.hostName() + "\n");
            etc("etc/hosts", 0644, "127.0.0.1\tlocalhost\n127.0.1.1\t" + os.hostName() + "\n"
                    + "::1\t\tlocalhost ip6-localhost ip6-loopback\nff02::1\t\tip6-allnodes\nff02::2\t\tip6-allrouters\n");
            etc("etc/fstab", 0644, fstab(options.rootUuid(), options.rootFsType()));
            if (!TreeLookup.exists(tree, "etc/resolv.conf")) {
                etc("etc/resolv.conf", 0644, "# written at boot by the DHCP client (VM) or by the container runtime\n");
            }
            timezone();
            homes(accounts);
            shellAndInit();
            services(accounts);
            for (FileSpec f : os.files()) {
                try {
                    put(new FileEntry(f.target(), FileEntry.Type.FILE, f.mode(), f.uid(), f.gid(), options.mtime(),
                            null, 0, 0, Content.ofFile(f.source())));
                } catch (IOException e) {
                    throw new InvalidConfigurationException("files/file[" + f.target() + "]/source",
                            "cannot read " + f.source() + ": " + e.getMessage());
                }
            }
        }

        private Accounts accounts() {
            String passwd = read("etc/passwd").or(() -> read("usr/share/base-passwd/passwd.master"))
                    .orElse(Accounts.BASE_PASSWD);
            String group = read("etc/group").or(() -> read("usr/share/base-passwd/group.master"))
                    .orElse(Accounts.BASE_GROUP);
            Accounts accounts = Accounts.parse(passwd, group, read("etc/shadow").orElse(""));
            Accounts.Passwd root = accounts.users.get("root");
            if (root != null && !TreeLookup.exists(tree, root.shell())) {
                // base-passwd says /bin/bash; a busybox-only system has just /bin/sh
                accounts.users.put("root", new Accounts.Passwd("root", 0, 0, root.gecos(), root.home(), "/bin/sh"));
            }
            for (User u : os.users()) {
                accounts.declare(u);
            }
            etc("etc/passwd", 0644, accounts.passwdText());
            etc("etc/group", 0644, accounts.groupText());
            Optional<Accounts.Group> shadowGroup = Optional.ofNullable(accounts.groups.get("shadow"));
            FileEntry shadow = FileEntry.file("etc/shadow", shadowGroup.isPresent() ? 0640 : 0600,
                    accounts.shadowText(options.mtime() / 86400)).withOwner(0, shadowGroup.map(Accounts.Group::gid).orElse(0));
            put(shadow);
            return accounts;
        }

        private void timezone() {
            String tz = os.timezone() == null || os.timezone().isEmpty() ? "Etc/UTC" : os.timezone();
            if (tz.equals("UTC")) {
                tz = "Etc/UTC";
            }
            if (!TreeLookup.exists(tree, "usr/share/zoneinfo/" + tz)) {
                if (!tz.equals("Etc/UTC")) {
                    log.warn("time zone " + tz + " needs the tzdata package, which the system lacks; using UTC. "
                            + "Add tzdata to <operatingSystem><packages>");
                }
                tree.removeTree(TreeLookup.resolve(tree, "etc/localtime", false));
                etc("etc/timezone", 0644, "Etc/UTC\n"); // no /etc/localtime: the C library then uses UTC
                return;
            }
            etc("etc/timezone", 0644, tz + "\n");
            put(FileEntry.symlink("etc/localtime", "/usr/share/zoneinfo/" + tz));
        }

        private void homes(Accounts accounts) {
            if (!TreeLookup.exists(tree, "root")) {
                put(FileEntry.directory("root", 0700));
            }
            for (User u : os.users()) {
                Accounts.Passwd p = accounts.users.get(u.name());
                String home = TreeLookup.resolve(tree, p.home(), true);
                if (!tree.contains(home)) {
                    put(FileEntry.directory(home, 0755).withOwner(p.uid(), p.gid()));
                }
            }
        }

        private void shellAndInit() {
            boolean busybox = TreeLookup.exists(tree, "bin/busybox");
            if (!TreeLookup.exists(tree, "bin/sh")) {
                if (!busybox) {
                    throw new BuildException("the system has no /bin/sh: add busybox-static (or dash) to "
                            + "<operatingSystem><packages>");
                }
                put(FileEntry.symlink("bin/sh", "busybox"));
            }
            if (!TreeLookup.exists(tree, "sbin/init") && !SystemdUnits.isInit(tree)) {
                if (!busybox) {
                    throw new BuildException("the system has no init: add busybox-static to <operatingSystem><packages>");
                }
                put(FileEntry.symlink("sbin/init", BUSYBOX_INIT));
            }
        }

        private void services(Accounts accounts) {
            List<Service> services = os.services();
            for (Service s : services) {
                ServiceScripts.validate(s);
                if (!accounts.users.containsKey(ServiceScripts.user(s))) {
                    throw new InvalidConfigurationException("services/service[" + s.name() + "]/user", "user '"
                            + ServiceScripts.user(s) + "' does not exist; declare it under <users>");
                }
                put(FileEntry.file(ServiceScripts.SERVICES_DIR + "/" + s.name() + ".run", 0755, ServiceScripts.runFile(s)));
            }
            put(FileEntry.file(ServiceScripts.RUN_SERVICE, 0755, ServiceScripts.runService()));
            put(FileEntry.file(ContainerInit.PATH, 0755, ContainerInit.script(services)));
            if (SystemdUnits.isInit(tree)) {
                for (Service s : services) {
                    put(FileEntry.file("etc/systemd/system/" + s.name() + ".service", 0644, SystemdUnits.unit(s)));
                    put(FileEntry.symlink("etc/systemd/system/multi-user.target.wants/" + s.name() + ".service",
                            "/etc/systemd/system/" + s.name() + ".service"));
                }
                if (SystemdUnits.wantsNetwork(os) && SystemdUnits.hasNetworkd(tree)) {
                    put(FileEntry.file("etc/systemd/network/80-vmforge-dhcp.network", 0644, SystemdUnits.dhcpNetwork()));
                    put(FileEntry.symlink("etc/systemd/system/multi-user.target.wants/systemd-networkd.service",
                            "/lib/systemd/system/systemd-networkd.service"));
                } else if (SystemdUnits.wantsNetwork(os)) {
                    log.warn("systemd is the init but systemd-networkd is absent: the network is left to the packages");
                }
                return;
            }
            put(FileEntry.file("etc/inittab", 0644, BusyboxInit.inittab(services)));
            put(FileEntry.file("etc/init.d/rcS", 0755, BusyboxInit.rcS(os.network())));
            put(FileEntry.file(BusyboxInit.UDHCPC_SCRIPT, 0755, BusyboxInit.udhcpcScript()));
            put(FileEntry.file(BusyboxInit.SHUTDOWN, 0755, BusyboxInit.shutdown()));
            put(FileEntry.file(BusyboxInit.CONSOLE_SHELL, 0755, BusyboxInit.consoleShell()));
            put(FileEntry.file(BusyboxInit.POWER_BUTTON, 0755, BusyboxInit.powerButton()));
            runtimeModules();
        }

        /** The driver list rcS loads, when the tree has a kernel (a container image has none). */
        private void runtimeModules() {
            boolean hasKernel = tree.entries().stream().anyMatch(e -> e.path().startsWith("boot/vmlinuz-"));
            if (!hasKernel) {
                return;
            }
            ModuleResolver.ModuleSet set = ModuleResolver.of(tree).resolve(List.of(), BusyboxInit.RUNTIME_MODULES);
            if (!set.unavailable().isEmpty()) {
                log.debug("kernel " + set.kernel().version() + " lacks " + set.unavailable()
                        + (set.unavailable().contains("9p") ? " (no 9p shares: use linux-image-amd64 for them)" : ""));
            }
            put(FileEntry.file(BusyboxInit.MODULES_LIST, 0644, String.join("\n", set.modules()) + "\n"));
        }

        private void etc(String path, int mode, String text) {
            put(FileEntry.file(path, mode, text));
        }

        /** Adds an entry at its path with symlinked directories resolved, stamped with the build's mtime. */
        private void put(FileEntry entry) {
            String parent = dev.vmforge.fs.Paths.parent(entry.path());
            String resolvedParent = parent.isEmpty() ? "" : TreeLookup.resolve(tree, parent, true);
            String path = resolvedParent.isEmpty() ? dev.vmforge.fs.Paths.name(entry.path())
                    : resolvedParent + "/" + dev.vmforge.fs.Paths.name(entry.path());
            tree.add(entry.withPath(path).withMtime(options.mtime()));
        }

        private Optional<String> read(String path) {
            return TreeLookup.find(tree, path).filter(e -> e.type() == FileEntry.Type.FILE).map(e -> {
                try (InputStream in = e.content().open()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException ex) {
                    throw new UncheckedIOException("reading " + path, ex);
                }
            });
        }
    }
}
