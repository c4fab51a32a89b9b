package dev.vmforge.image;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrubConfigTest {
    static final UUID ROOT = UUID.fromString("5f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0");

    @Test
    void bootsByUuidOnTheSerialConsoleWithoutDelay() {
        String cfg = new GrubConfig("demo", ROOT, "/boot/vmlinuz-6.1.0-56-amd64", "/boot/initrd.img-6.1.0-56-amd64",
                List.of("quiet", "net.ifnames=0")).text();
        List<String> lines = cfg.lines().map(String::strip).toList();
        assertTrue(lines.contains("serial --unit=0 --speed=115200"), cfg);
        assertTrue(lines.contains("terminal_input serial console"), cfg);
        assertTrue(lines.contains("terminal_output serial console"), cfg);
        assertTrue(lines.contains("set timeout=0"), cfg);
        assertTrue(lines.contains("search --no-floppy --fs-uuid --set=root " + ROOT), cfg);
        assertTrue(lines.contains("linux /boot/vmlinuz-6.1.0-56-amd64 root=UUID=" + ROOT
                + " ro console=ttyS0 panic=-1 quiet net.ifnames=0"), cfg);
        assertTrue(lines.contains("initrd /boot/initrd.img-6.1.0-56-amd64"), cfg);
        assertTrue(lines.contains("menuentry \"demo\" {"), cfg);
    }

    @Test
    void quotesArgumentsGrubsLexerWouldInterpret() {
        List<String> hostile = List.of("a|b", "x=$y", "a;b", "c&d", "<in>", "#not-a-comment", "{x}", "glob=*?[a]",
                "back`tick`", "naïve=é");
        String cfg = new GrubConfig("demo", ROOT, "/boot/vmlinuz", "/boot/initrd.img", hostile).text();
        assertTrue(cfg.contains("  linux /boot/vmlinuz root=UUID=" + ROOT + " ro console=ttyS0 panic=-1 'a|b' 'x=$y'"
                + " 'a;b' 'c&d' '<in>' '#not-a-comment' '{x}' 'glob=*?[a]' 'back`tick`' 'naïve=é'\n"), cfg);
        assertEquals(hostile, new GrubConfig("demo", ROOT, "/boot/vmlinuz", "/boot/initrd.img", hostile)
                .commandLine().subList(4, 4 + hostile.size()), "the kernel gets them unquoted");
    }

    @Test
    void refusesWhatGrubCannotPassOnUnchanged() {
        for (String bad : List.of("a b", "q=\"1\"", "it's", "back\\slash", "", "tab\tx")) {
            assertThrows(IllegalArgumentException.class,
                    () -> new GrubConfig("demo", ROOT, "/boot/vmlinuz", "/boot/initrd.img", List.of(bad)), bad);
        }
        assertThrows(IllegalArgumentException.class,
                () -> new GrubConfig("demo", ROOT, "boot/vmlinuz", "/boot/initrd.img", List.of()));
    }

    @Test
    void anIsoRootIsFoundByItsVolumeId() {
        GrubConfig grub = new GrubConfig("demo", GrubConfig.Root.isoVolume("HELLO"), "/boot/vmlinuz", "/boot/initrd.img",
                List.of("vmforge.root=volatile"));
        List<String> lines = grub.text().lines().toList();
        assertTrue(lines.contains("insmod iso9660") && lines.contains("search --no-floppy --label --set=root HELLO"),
                grub.text());
        assertEquals(List.of("root=LABEL=HELLO", "rootfstype=iso9660", "ro", "console=ttyS0", "panic=-1",
                "vmforge.root=volatile"), grub.commandLine());
    }
}
