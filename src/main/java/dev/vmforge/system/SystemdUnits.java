package dev.vmforge.system;

import dev.vmforge.fs.FileTree;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.os.Service;

/**
 * Services as systemd units, for systems whose packages bring systemd as init (systemd-sysv). Output goes to
 * the journal and the console; systemd does the restarting. {@code /var/log/NAME.log} is not written here:
 * {@code journalctl -u NAME} has it.
 */
final class SystemdUnits {
    private SystemdUnits() {
    }

    static boolean isInit(FileTree tree) {
        boolean systemd = TreeLookup.exists(tree, "lib/systemd/systemd") || TreeLookup.exists(tree, "usr/lib/systemd/systemd");
        String init = TreeLookup.find(tree, "sbin/init").map(e -> e.linkTarget() == null ? "" : e.linkTarget()).orElse("");
        // systemd-sysv ships sbin/init as a link to systemd; follow the link chain to be sure
        String resolved = TreeLookup.resolve(tree, "sbin/init", true);
        return systemd && (init.contains("systemd") || resolved.endsWith("systemd/systemd"));
    }

    static String unit(Service s) {
        String restart = switch (s.restart() == null ? Service.Restart.ALWAYS : s.restart()) {
            case ALWAYS -> "always";
            case ON_FAILURE -> "on-failure";
            case NEVER -> "no";
        };
        return "[Unit]\n"
                + "Description=" + s.name() + " (vm-maven-plugin service)\n"
                + "After=network-online.target\n"
                + "Wants=network-online.target\n\n"
                + "[Service]\n"
                + "User=" + ServiceScripts.user(s) + "\n"
                + "ExecStart=/bin/sh /" + ServiceScripts.SERVICES_DIR + "/" + s.name() + ".run\n"
                + "Restart=" + restart + "\n"
                + "RestartSec=1\n"
                + "StandardOutput=journal+console\n"
                + "StandardError=inherit\n\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }

    /** DHCP on every Ethernet interface through systemd-networkd, when network=dhcp. */
    static String dhcpNetwork() {
        return "[Match]\nName=en* eth*\n\n[Network]\nDHCP=yes\n";
    }

    static boolean hasNetworkd(FileTree tree) {
        return TreeLookup.exists(tree, "lib/systemd/system/systemd-networkd.service")
                || TreeLookup.exists(tree, "usr/lib/systemd/system/systemd-networkd.service");
    }

    static boolean wantsNetwork(SystemConfiguration os) {
        return os.network() == OperatingSystem.Network.DHCP;
    }
}
